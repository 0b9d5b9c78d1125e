// SPDX-License-Identifier: Apache-2.0
package dev.servitor.adminql;

import dev.servitor.adminql.Token.Kind;

/**
 * Turns text into tokens one at a time, on demand, so memory does not grow with the script.
 * Whitespace and comments ({@code -- to end of line}, {@code /* ... *}{@code /}, not nested) are
 * skipped. A NUL or an unpaired surrogate anywhere, an unterminated string, quoted identifier or comment, a character
 * outside the language, or more than {@link #MAX_DEPTH} open parentheses is a syntax error at
 * its position. Every character is looked at a bounded number of times.
 */
final class Lexer {
    /** Parentheses open at once; the grammar needs one level, the limit keeps hostile text cheap. */
    static final int MAX_DEPTH = 64;

    private final String src;
    private int pos;
    private int line = 1;
    private int lineStart;
    private int depth;

    Lexer(String src) {
        this.src = src;
    }

    Token next() {
        skipBlanks();
        if (pos >= src.length()) return token(Kind.EOF, "", pos, line, column(pos));
        int start = pos;
        int tokLine = line;
        int tokCol = column(pos);
        char c = src.charAt(pos);
        switch (c) {
            case ';': pos++; return token(Kind.SEMICOLON, ";", start, tokLine, tokCol);
            case ',': pos++; return token(Kind.COMMA, ",", start, tokLine, tokCol);
            case '=': pos++; return token(Kind.EQUALS, "=", start, tokLine, tokCol);
            case '(':
                if (++depth > MAX_DEPTH) {
                    throw SyntaxError.at(tokLine, tokCol, "parentheses nested deeper than " + MAX_DEPTH);
                }
                pos++;
                return token(Kind.LPAREN, "(", start, tokLine, tokCol);
            case ')':
                depth = Math.max(0, depth - 1);
                pos++;
                return token(Kind.RPAREN, ")", start, tokLine, tokCol);
            case '\'': return quoted('\'', Kind.STRING, "string");
            case '"': return quoted('"', Kind.QUOTED_IDENT, "quoted identifier");
            default: break;
        }
        if (isIdentStart(c)) {
            while (pos < src.length() && isIdentPart(src.charAt(pos))) pos++;
            return token(Kind.IDENT, src.substring(start, pos), start, tokLine, tokCol);
        }
        if (c == '-' && start > 0 && isIdentPart(src.charAt(start - 1))) {
            throw SyntaxError.at(tokLine, tokCol, "unexpected character '-'; a name with '-' must be double-quoted, as in \"my-sa\"");
        }
        if (isDigit(c) || (c == '-' && pos + 1 < src.length() && isDigit(src.charAt(pos + 1)))) {
            pos++;
            while (pos < src.length() && isDigit(src.charAt(pos))) pos++;
            if (pos + 1 < src.length() && src.charAt(pos) == '.' && isDigit(src.charAt(pos + 1))) {
                pos++;
                while (pos < src.length() && isDigit(src.charAt(pos))) pos++;
            }
            return token(Kind.NUMBER, src.substring(start, pos), start, tokLine, tokCol);
        }
        throw SyntaxError.at(tokLine, tokCol, "unexpected character " + describeChar(src.codePointAt(pos)));
    }

    private Token quoted(char quote, Kind kind, String what) {
        int start = pos;
        int tokLine = line;
        int tokCol = column(pos);
        StringBuilder value = new StringBuilder();
        pos++;
        while (true) {
            if (pos >= src.length()) throw SyntaxError.at(tokLine, tokCol, "unterminated " + what);
            char c = src.charAt(pos);
            if (c == quote) {
                if (pos + 1 < src.length() && src.charAt(pos + 1) == quote) {
                    value.append(quote);
                    pos += 2;
                    continue;
                }
                pos++;
                return token(kind, value.toString(), start, tokLine, tokCol);
            }
            checkChar(c);
            if (c == '\n') newline(pos);
            value.append(c);
            pos++;
        }
    }

    private void skipBlanks() {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '\n') {
                newline(pos);
                pos++;
            } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f') {
                pos++;
            } else if (c == '-' && pos + 1 < src.length() && src.charAt(pos + 1) == '-') {
                while (pos < src.length() && src.charAt(pos) != '\n') {
                    checkChar(src.charAt(pos));
                    pos++;
                }
            } else if (c == '/' && pos + 1 < src.length() && src.charAt(pos + 1) == '*') {
                int startLine = line;
                int startCol = column(pos);
                pos += 2;
                while (true) {
                    if (pos + 1 >= src.length()) {
                        if (pos < src.length()) checkChar(src.charAt(pos));
                        throw SyntaxError.at(startLine, startCol, "unterminated comment");
                    }
                    char d = src.charAt(pos);
                    if (d == '*' && src.charAt(pos + 1) == '/') {
                        pos += 2;
                        break;
                    }
                    checkChar(d);
                    if (d == '\n') newline(pos);
                    pos++;
                }
            } else {
                return;
            }
        }
    }

    /** Refuses NUL and an unpaired UTF-16 surrogate (which a store would silently turn into '?'); {@code c} is at {@code pos}. */
    private void checkChar(char c) {
        if (c == '\0') throw SyntaxError.at(line, column(pos), "unexpected character U+0000 (NUL)");
        boolean unpaired = Character.isHighSurrogate(c)
            ? pos + 1 >= src.length() || !Character.isLowSurrogate(src.charAt(pos + 1))
            : Character.isLowSurrogate(c) && (pos == 0 || !Character.isHighSurrogate(src.charAt(pos - 1)));
        if (unpaired) throw SyntaxError.at(line, column(pos), String.format("unpaired surrogate U+%04X", (int) c));
    }

    private void newline(int at) {
        line++;
        lineStart = at + 1;
    }

    private int column(int at) {
        return at - lineStart + 1;
    }

    /** A token from {@code start} to the current position. */
    private Token token(Kind kind, String text, int start, int line, int column) {
        return new Token(kind, text, line, column, start, pos);
    }

    private static boolean isIdentStart(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
    }

    private static boolean isIdentPart(char c) {
        return isIdentStart(c) || isDigit(c);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Printable ASCII is shown as itself; anything else (controls, bidi overrides, ...) as U+XXXX. */
    private static String describeChar(int cp) {
        if (cp == 0) return "U+0000 (NUL)";
        if (cp > 0x20 && cp < 0x7f) return "'" + (char) cp + "'";
        return String.format("U+%04X", cp);
    }
}
