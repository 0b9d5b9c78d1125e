// SPDX-License-Identifier: Apache-2.0
package dev.servitor.adminql;

/**
 * One lexeme. {@code text} is the value: an identifier as written (quoted ones unquoted, {@code ""}
 * undone), a string's contents ({@code ''} undone), a number's digits. {@code start}/{@code end}
 * are offsets in the script; {@code line}/{@code column} are 1-based, counted in characters.
 */
record Token(Kind kind, String text, int line, int column, int start, int end) {
    enum Kind { IDENT, QUOTED_IDENT, STRING, NUMBER, SEMICOLON, LPAREN, RPAREN, COMMA, EQUALS, EOF }

    private static final int SHOWN = 32;

    /** Whether this is the bare keyword {@code word} (keywords are case-insensitive; quoted identifiers never are keywords). */
    boolean is(String word) {
        return kind == Kind.IDENT && text.equalsIgnoreCase(word);
    }

    /** How an error message names this token; a string's contents are never echoed (it might be a pasted secret). */
    String describe() {
        return switch (kind) {
            case IDENT -> "'" + shorten(text) + "'";
            case QUOTED_IDENT -> "\"" + shorten(text) + "\"";
            case STRING -> "a string";
            case NUMBER -> "number " + shorten(text);
            case SEMICOLON -> "';'";
            case LPAREN -> "'('";
            case RPAREN -> "')'";
            case COMMA -> "','";
            case EQUALS -> "'='";
            case EOF -> "end of input";
        };
    }

    private static String shorten(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().limit(SHOWN).forEach(c -> {
            boolean plain = !Character.isISOControl(c) && Character.isDefined(c) && Character.getType(c) != Character.FORMAT
                && Character.getType(c) != Character.SURROGATE;
            if (plain) b.appendCodePoint(c); else b.append(String.format("\\u%04X", c)); // never echo controls or bidi overrides
        });
        return s.codePointCount(0, s.length()) > SHOWN ? b + "..." : b.toString();
    }
}
