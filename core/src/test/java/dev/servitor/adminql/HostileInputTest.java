// SPDX-License-Identifier: Apache-2.0
package dev.servitor.adminql;

import static dev.servitor.adminql.ParserTest.syntaxError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.servitor.common.ServiceException;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Text an attacker might send: each case ends in a syntax error, quickly (the parser is linear
 * and keeps no token list), and never in a stack overflow, an out-of-memory or a hang.
 */
class HostileInputTest {
    private static final Duration QUICK = Duration.ofSeconds(5);

    private static String quickSyntaxError(String sql) {
        return assertTimeoutPreemptively(QUICK, () -> syntaxError(sql));
    }

    @Test
    void deep_nesting_stops_at_64_parentheses() {
        String deep = "CREATE SERVICE ACCOUNT a WITH GROUPS = " + "(".repeat(100_000) + ")".repeat(100_000);
        assertThat(quickSyntaxError(deep)).isEqualTo("line 1, column 41: expected a name, found '('");
        assertThat(quickSyntaxError("(".repeat(500_000))).startsWith("line 1, column 1: expected a statement");
        // the grammar needs one level, so the parser refuses at the second; the lexer's own limit stands behind it
        Lexer lexer = new Lexer("(".repeat(500_000));
        Throwable t = catchThrowable(() -> {
            for (int i = 0; i < 500_000; i++) lexer.next();
        });
        assertThat(((ServiceException) t).detail()).isEqualTo("line 1, column 65: parentheses nested deeper than 64");
    }

    @Test
    void a_megabyte_of_noise_is_refused_quickly() {
        Random random = new Random(42);
        StringBuilder noise = new StringBuilder();
        while (noise.length() < 1_000_000) noise.append((char) (0x20 + random.nextInt(0x5f)));
        quickSyntaxError(noise.toString());
        quickSyntaxError("SHOW SERVICE ACCOUNTS; " + "x".repeat(1_000_000));
        quickSyntaxError("-- " + "comment ".repeat(130_000) + "\nSHOW " + "a".repeat(10));
    }

    @Test
    void a_script_longer_than_one_mebibyte_is_refused_before_lexing() {
        assertThat(quickSyntaxError(" ".repeat(Parser.MAX_CHARS) + "SHOW SERVICE ACCOUNTS"))
            .isEqualTo("line 1, column 1: the script is longer than 1048576 characters");
    }

    @Test
    void five_thousand_statements_are_more_than_a_script_may_hold() {
        String many = "SHOW SERVICE ACCOUNTS;\n".repeat(5_000);
        ServiceException e = (ServiceException) assertTimeoutPreemptively(QUICK, () -> catchThrowable(() -> Parser.parse(many)));
        assertThat(e.code()).isEqualTo(dev.servitor.common.ErrorCode.TOO_MANY_STATEMENTS);
        assertThat(e.code().status()).isEqualTo(413);
        assertThat(e.detail()).isEqualTo("line 1001, column 1: more than 1000 statements in one script; nothing was run");
        assertThat(Parser.parse("SHOW SERVICE ACCOUNTS;\n".repeat(1_000))).hasSize(1_000);
        assertThat(catchThrowable(() -> Parser.parse("SHOW SERVICE ACCOUNTS;\n".repeat(11), 10)))
            .hasMessage("line 11, column 1: more than 10 statements in one script; nothing was run");
    }

    @Test
    void a_list_of_more_than_a_thousand_items_is_refused() {
        String groups = "CREATE SERVICE ACCOUNT a WITH GROUPS = (" + "g,".repeat(5_000) + "g)";
        assertThat(quickSyntaxError(groups)).contains("more than 1000 items in GROUPS");
    }

    @Test
    void nul_bytes_anywhere_are_refused() {
        assertThat(quickSyntaxError("\u0000")).contains("U+0000");
        assertThat(quickSyntaxError("SHOW SERVICE ACCOUNTS -- \u0000")).contains("U+0000");
        assertThat(quickSyntaxError("SHOW SERVICE ACCOUNTS /* \u0000 */")).contains("U+0000");
        assertThat(quickSyntaxError("CREATE SERVICE ACCOUNT a WITH DESCRIPTION = 'a\u0000b'")).contains("U+0000");
        assertThat(quickSyntaxError("\u0000".repeat(1_000_000))).isEqualTo("line 1, column 1: unexpected character U+0000 (NUL)");
    }

    @Test
    void unpaired_surrogates_are_refused_and_paired_ones_kept() {
        assertThat(quickSyntaxError("CREATE SERVICE ACCOUNT a WITH DESCRIPTION = 'a\ud800b'"))
            .isEqualTo("line 1, column 47: unpaired surrogate U+D800");
        assertThat(quickSyntaxError("CREATE SERVICE ACCOUNT a WITH DESCRIPTION = 'a\udc00'")).contains("unpaired surrogate U+DC00");
        assertThat(quickSyntaxError("SHOW USERS -- \ud83d")).contains("unpaired surrogate U+D83D");
        assertThat(quickSyntaxError("SHOW USERS /* \ude00 */")).contains("unpaired surrogate U+DE00");
        Statement s = Parser.parse("CREATE SERVICE ACCOUNT a WITH DESCRIPTION = '\ud83d\ude00'").get(0).statement();
        assertThat(((Statement.CreateServiceAccount) s).description()).isEqualTo("\ud83d\ude00");
    }

    @Test
    void unterminated_strings_names_and_comments_are_refused() {
        assertThat(quickSyntaxError("CREATE SERVICE ACCOUNT a WITH DESCRIPTION = '" + "''".repeat(400_000)))
            .isEqualTo("line 1, column 45: unterminated string");
        assertThat(quickSyntaxError("DROP SERVICE ACCOUNT \"" + "x".repeat(900_000))).contains("unterminated quoted identifier");
        assertThat(quickSyntaxError("/*" + "*".repeat(900_000))).contains("unterminated comment");
        assertThat(quickSyntaxError("/*")).isEqualTo("line 1, column 1: unterminated comment");
        assertThat(quickSyntaxError("/")).isEqualTo("line 1, column 1: unexpected character '/'");
    }

    @Test
    void long_names_and_odd_characters_are_cut_short_in_messages() {
        String detail = quickSyntaxError("SHOW " + "y".repeat(500_000));
        assertThat(detail.length()).isLessThan(200);
        assertThat(quickSyntaxError("SHOW \u202Eevil")).isEqualTo("line 1, column 6: unexpected character U+202E");
        assertThat(quickSyntaxError("SHOW \u0007")).isEqualTo("line 1, column 6: unexpected character U+0007");
    }
}
