// SPDX-License-Identifier: Apache-2.0
package dev.servitor.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The issuer comes from configuration and the listener's bind only; the audiences Servitor's API takes. */
class IssuerTest {

    @Test
    void the_public_url_wins_without_its_trailing_slash() {
        Issuer issuer = new Issuer("https://auth.example.com/", "0.0.0.0", 8080, List.of());
        issuer.listeningOn("0.0.0.0", 8080);
        assertThat(issuer.url()).isEqualTo("https://auth.example.com");
    }

    @Test
    void without_a_public_url_the_first_listener_names_it() {
        Issuer issuer = new Issuer(null, "127.0.0.1", 0, List.of());
        assertThat(issuer.url()).isEqualTo("http://127.0.0.1:0");
        issuer.listeningOn("127.0.0.1", 41234);
        issuer.listeningOn("127.0.0.1", 41235);
        assertThat(issuer.url()).isEqualTo("http://127.0.0.1:41234");
        Issuer v6 = new Issuer(null, "::1", 9090, List.of());
        assertThat(v6.url()).isEqualTo("http://[::1]:9090");
    }

    @Test
    void only_the_issuer_and_the_accepted_audiences_are_servitors() {
        Issuer issuer = new Issuer("https://auth.example.com", "127.0.0.1", 8080, List.of("https://api.example.com"));
        assertThat(issuer.accepts(List.of("https://auth.example.com"))).isTrue();
        assertThat(issuer.accepts(List.of("https://partner.example", "https://api.example.com"))).isTrue();
        assertThat(issuer.accepts(List.of("https://partner.example"))).isFalse();
        assertThat(issuer.accepts(List.of("https://auth.example.com/"))).isFalse();
        assertThat(issuer.accepts(List.of())).isFalse();
        assertThat(issuer.accepts(null)).isFalse();
    }
}
