// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servitor.token.OAuthException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class OAuthFormTest {

    private static String basic(String joined) {
        return "Basic " + Base64.getEncoder().encodeToString(joined.getBytes(StandardCharsets.UTF_8));
    }

    private static String errorOf(Runnable r) {
        try {
            r.run();
        } catch (OAuthException e) {
            return e.error();
        }
        return "none";
    }

    @Test
    void parameters_are_form_decoded_and_empty_pairs_ignored() {
        OAuthForm f = OAuthForm.parse("token=a%2Bb+c&&token_type_hint=access_token&flag");
        assertThat(f.required("token")).isEqualTo("a+b c");
        assertThat(f.required("token_type_hint")).isEqualTo("access_token");
        assertThat(errorOf(() -> f.required("flag"))).isEqualTo("invalid_request");
        assertThat(errorOf(() -> f.required("missing"))).isEqualTo("invalid_request");
    }

    @Test
    void a_repeated_parameter_or_broken_percent_encoding_is_invalid_request() {
        assertThat(errorOf(() -> OAuthForm.parse("token=a&token=a"))).isEqualTo("invalid_request");
        assertThat(errorOf(() -> OAuthForm.parse("token=%4"))).isEqualTo("invalid_request");
        assertThatThrownBy(() -> OAuthForm.parse("token=a&token=b")).hasMessageContaining("'token'");
    }

    @Test
    void basic_credentials_are_form_decoded_after_base64() {
        OAuthForm.ClientCredentials c = OAuthForm.parse("token=t").client(basic("sa_1:se%3Acret+x"));
        assertThat(c).isEqualTo(new OAuthForm.ClientCredentials("sa_1", "se:cret x"));
        assertThat(OAuthForm.parse("token=t").client("basic " + Base64.getEncoder().encodeToString("a:b".getBytes(StandardCharsets.UTF_8))))
            .isEqualTo(new OAuthForm.ClientCredentials("a", "b"));
    }

    @Test
    void client_secret_post_is_read_from_the_form() {
        assertThat(OAuthForm.parse("token=t&client_id=sa_1&client_secret=s").client(null))
            .isEqualTo(new OAuthForm.ClientCredentials("sa_1", "s"));
        assertThat(OAuthForm.parse("token=t&client_id=sa_1").client(null)).isNull();
        assertThat(OAuthForm.parse("token=t").client("Bearer x")).isNull();
    }

    @Test
    void mangled_basic_headers_are_invalid_client() {
        OAuthForm f = OAuthForm.parse("token=t");
        for (String header : new String[] {"Basic !!!", basic("no-colon"), basic(":secret"), basic("id:"), basic("id:%zz")}) {
            assertThat(errorOf(() -> f.client(header))).as(header).isEqualTo("invalid_client");
        }
    }

    @Test
    void two_client_authentications_at_once_are_refused() {
        assertThat(errorOf(() -> OAuthForm.parse("token=t&client_id=a&client_secret=b").client(basic("a:b")))).isEqualTo("invalid_request");
        assertThat(errorOf(() -> OAuthForm.parse("token=t&client_id=other").client(basic("a:b")))).isEqualTo("invalid_request");
        assertThat(errorOf(() -> OAuthForm.parse("token=t&client_assertion=x").client(basic("a:b")))).isEqualTo("invalid_request");
        assertThat(errorOf(() -> OAuthForm.parse("token=t&client_id=a&client_secret=b&client_assertion=x").client(null)))
            .isEqualTo("invalid_request");
        assertThat(OAuthForm.parse("token=t&client_id=a").client(basic("a:b"))).isEqualTo(new OAuthForm.ClientCredentials("a", "b"));
    }

    @Test
    void basic_may_be_followed_by_several_spaces_and_a_bare_basic_is_mangled() {
        OAuthForm f = OAuthForm.parse("token=t");
        assertThat(f.client("Basic   " + basic("a:b").substring(6))).isEqualTo(new OAuthForm.ClientCredentials("a", "b"));
        assertThat(errorOf(() -> f.client("Basic"))).isEqualTo("invalid_client");
        assertThat(errorOf(() -> f.client("Basic "))).isEqualTo("invalid_client");
        assertThat(f.client("Basicx " + basic("a:b").substring(6))).as("another scheme").isNull();
    }

    @Test
    void a_jwt_bearer_client_assertion_is_private_key_jwt_with_the_client_id_if_given() {
        String type = "&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer";
        assertThat(OAuthForm.parse("token=t" + type + "&client_assertion=x.y.z").client(null))
            .isEqualTo(new OAuthForm.ClientCredentials(null, null, "x.y.z"));
        assertThat(OAuthForm.parse("token=t&client_id=sa_1" + type + "&client_assertion=x.y.z").client(null))
            .isEqualTo(new OAuthForm.ClientCredentials("sa_1", null, "x.y.z"));
        assertThat(errorOf(() -> OAuthForm.parse("token=t" + type).client(null))).isEqualTo("invalid_client");
        assertThat(errorOf(() -> OAuthForm.parse("token=t" + type + "&client_assertion=x.y.z&client_secret=s").client(null)))
            .isEqualTo("invalid_request");
    }

    @Test
    void a_client_assertion_of_another_type_is_an_unsupported_method_and_beside_another_way_two_ways() {
        assertThat(errorOf(() -> OAuthForm.parse("token=t&client_assertion=x.y.z").client(null))).isEqualTo("invalid_client");
        assertThat(errorOf(() -> OAuthForm.parse("token=t&client_assertion_type=urn%3Ax").client(null))).isEqualTo("invalid_client");
        assertThat(errorOf(() -> OAuthForm.parse("token=t&client_assertion=x&client_id=a").client(null))).isEqualTo("invalid_client");
        assertThat(errorOf(() -> OAuthForm.parse("token=t&client_assertion_type=urn%3Ax").client(basic("a:b")))).isEqualTo("invalid_request");
    }

    @Test
    void a_parameter_sent_without_a_value_is_as_if_omitted() {
        assertThat(OAuthForm.parse("token=t&client_id=&client_secret=s").client(null)).isNull();
        assertThat(OAuthForm.parse("token=t&client_id=sa_1&client_secret=").client(null)).isNull();
        assertThat(OAuthForm.parse("token=t&client_id=").client(basic("a:b"))).isEqualTo(new OAuthForm.ClientCredentials("a", "b"));
        assertThat(OAuthForm.parse("token=t&client_assertion=").client(basic("a:b"))).isEqualTo(new OAuthForm.ClientCredentials("a", "b"));
        assertThat(OAuthForm.parse("scope=").optional("scope")).isNull();
    }
}
