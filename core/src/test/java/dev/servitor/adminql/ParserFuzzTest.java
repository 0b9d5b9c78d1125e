// SPDX-License-Identifier: Apache-2.0
package dev.servitor.adminql;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.servitor.common.ErrorCode;
import dev.servitor.common.ServiceException;
import java.nio.charset.StandardCharsets;

/**
 * Jazzer over the parser: any text either parses or is a syntax error — never another
 * exception, never a hang. In CI this runs in regression mode over the committed inputs in
 * {@code src/test/resources/dev/servitor/adminql/ParserFuzzTestInputs/}. To fuzz for longer:
 * {@code JAZZER_FUZZ=1 mvn -o test -pl core -Dtest=ParserFuzzTest -Djazzer.max_duration=10m}
 * (new crashing inputs land in that folder; commit them).
 */
class ParserFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void parse_answers_statements_or_a_syntax_error(byte[] input) {
        String script = new String(input, StandardCharsets.UTF_8);
        try {
            assertThat(Parser.parse(script)).isNotNull();
        } catch (ServiceException e) {
            assertThat(e.code()).isIn(ErrorCode.SYNTAX_ERROR, ErrorCode.PAYLOAD_TOO_LARGE);
        }
    }
}
