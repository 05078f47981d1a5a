package io.github.rtmpedge.config;

import io.github.rtmpedge.config.InvalidConfigException.Problem;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses SRS's nginx-like configuration syntax into {@link SrsDirective}s, the way SRS's own
 * {@code SrsConfDirective::parse} reads it:
 * <ul>
 *   <li>a directive is a name and white-space separated arguments ended by {@code ;}, or by a
 *       block {@code { ... }} holding further directives;</li>
 *   <li>{@code #} at the start of a token comments out the rest of the line;</li>
 *   <li>an argument may be quoted with {@code "..."} or {@code '...'} (verbatim: no escapes; it
 *       may hold white space, {@code ;}, braces and {@code #});</li>
 *   <li>{@code include FILE [FILE...];} is replaced, where it stands, by the directives of each
 *       file, a relative name being resolved against the directory of the including file.</li>
 * </ul>
 * Every syntax error is an {@link InvalidConfigException} whose {@link Problem} path is
 * {@code file:line}.
 */
final class SrsConfigParser {

    /** Deepest chain of includes; deeper is taken for a cycle. */
    static final int MAX_INCLUDE_DEPTH = 16;

    private enum Kind {
        WORD,
        SEMICOLON,
        OPEN,
        CLOSE,
        END
    }

    private record Token(Kind kind, String text, int line) {}

    private final Path file;
    private final String text;
    private final int includeDepth;
    private int position;
    private int line = 1;

    private SrsConfigParser(Path file, String text, int includeDepth) {
        this.file = file;
        this.text = text;
        this.includeDepth = includeDepth;
    }

    /** Parses {@code file} and everything it includes. */
    static List<SrsDirective> parse(Path file) {
        return parse(file, read(file, null), 0);
    }

    /** Parses {@code text} as if read from {@code file} (which names it and anchors relative includes). */
    static List<SrsDirective> parse(Path file, String text) {
        return parse(file, text, 0);
    }

    private static List<SrsDirective> parse(Path file, String text, int includeDepth) {
        SrsConfigParser parser = new SrsConfigParser(file, text, includeDepth);
        return parser.statements(null);
    }

    private static String read(Path file, SrsDirective include) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .decode(java.nio.ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw failure(include == null ? file + ":1" : include.where(), "\"" + file + "\"", "a file in UTF-8");
        } catch (IOException e) {
            throw failure(
                    include == null ? "config file" : include.where(),
                    "\"" + file + "\"",
                    "a readable file (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
    }

    private static InvalidConfigException failure(String where, String value, String expected) {
        return new InvalidConfigException(List.of(new Problem(where, value, expected)));
    }

    private InvalidConfigException failure(int atLine, String value, String expected) {
        return failure(file + ":" + atLine, value, expected);
    }

    /** The statements up to the end of the file ({@code opener == null}) or the {@code }} closing {@code opener}'s block. */
    private List<SrsDirective> statements(Token opener) {
        List<SrsDirective> directives = new ArrayList<>();
        List<Token> words = new ArrayList<>();
        while (true) {
            Token token = next();
            switch (token.kind()) {
                case WORD -> words.add(token);
                case SEMICOLON -> {
                    if (words.isEmpty()) {
                        throw failure(token.line(), "\";\"", "a directive before `;` (an empty statement)");
                    }
                    SrsDirective directive = directive(words, null);
                    if (directive.name().equals("include")) {
                        directives.addAll(include(directive));
                    } else {
                        directives.add(directive);
                    }
                    words = new ArrayList<>();
                }
                case OPEN -> {
                    if (words.isEmpty()) {
                        throw failure(token.line(), "\"{\"", "a directive name before `{`");
                    }
                    if (words.get(0).text().equals("include")) {
                        throw failure(words.get(0).line(), "\"include\"", "`include FILE;` (include takes no block)");
                    }
                    List<SrsDirective> block = statements(words.get(0));
                    directives.add(directive(words, block));
                    words = new ArrayList<>();
                }
                case CLOSE -> {
                    if (!words.isEmpty()) {
                        throw missingSemicolon(words, "before `}` on line " + token.line());
                    }
                    if (opener == null) {
                        throw failure(token.line(), "\"}\"", "balanced braces (this `}` closes no block)");
                    }
                    return directives;
                }
                case END -> {
                    if (!words.isEmpty()) {
                        throw missingSemicolon(words, "before the end of the file");
                    }
                    if (opener != null) {
                        throw failure(
                                opener.line(),
                                "\"" + opener.text() + "\"",
                                "balanced braces (the block `" + opener.text() + " {` opened here is never closed)");
                    }
                    return directives;
                }
                default -> throw new IllegalStateException("unexpected token " + token);
            }
        }
    }

    private InvalidConfigException missingSemicolon(List<Token> words, String where) {
        Token last = words.get(words.size() - 1);
        String written = String.join(" ", words.stream().map(Token::text).toList());
        return failure(last.line(), "\"" + written + "\"", "`;` after `" + written + "` (missing " + where + ")");
    }

    private SrsDirective directive(List<Token> words, List<SrsDirective> block) {
        List<String> args =
                words.subList(1, words.size()).stream().map(Token::text).toList();
        return new SrsDirective(
                words.get(0).text(), args, block, file, words.get(0).line());
    }

    private List<SrsDirective> include(SrsDirective include) {
        if (include.args().isEmpty()) {
            throw failure(include.where(), "\"include\"", "`include FILE;` with at least one file");
        }
        if (includeDepth + 1 > MAX_INCLUDE_DEPTH) {
            throw failure(
                    include.where(),
                    "\"" + include.text() + "\"",
                    "includes nested at most " + MAX_INCLUDE_DEPTH + " deep (is a file including itself?)");
        }
        Path base = file.toAbsolutePath().getParent();
        List<SrsDirective> included = new ArrayList<>();
        for (String name : include.args()) {
            Path target = base == null ? Path.of(name) : base.resolve(name);
            included.addAll(parse(target, read(target, include), includeDepth + 1));
        }
        return included;
    }

    private Token next() {
        skipSpaceAndComments();
        if (position >= text.length()) {
            return new Token(Kind.END, "", line);
        }
        char c = text.charAt(position);
        switch (c) {
            case ';' -> {
                position++;
                return new Token(Kind.SEMICOLON, ";", line);
            }
            case '{' -> {
                position++;
                return new Token(Kind.OPEN, "{", line);
            }
            case '}' -> {
                position++;
                return new Token(Kind.CLOSE, "}", line);
            }
            case '"', '\'' -> {
                return quoted(c);
            }
            default -> {
                return word();
            }
        }
    }

    private void skipSpaceAndComments() {
        while (position < text.length()) {
            char c = text.charAt(position);
            if (c == '\n') {
                line++;
                position++;
            } else if (c == ' ' || c == '\t' || c == '\r') {
                position++;
            } else if (c == '#') {
                while (position < text.length() && text.charAt(position) != '\n') {
                    position++;
                }
            } else {
                return;
            }
        }
    }

    private Token quoted(char quote) {
        int startLine = line;
        int start = ++position;
        while (position < text.length() && text.charAt(position) != quote) {
            if (text.charAt(position) == '\n') {
                line++;
            }
            position++;
        }
        if (position >= text.length()) {
            throw failure(
                    startLine,
                    String.valueOf(quote),
                    "a closing " + quote + " (the quoted string opened here is never closed)");
        }
        String value = text.substring(start, position);
        position++;
        if (position < text.length() && !isDelimiter(text.charAt(position))) {
            throw failure(
                    line,
                    quote + value + quote + text.charAt(position),
                    "white space, `;`, `{` or `}` after a quoted string");
        }
        return new Token(Kind.WORD, value, startLine);
    }

    private Token word() {
        int start = position;
        while (position < text.length() && !isDelimiter(text.charAt(position))) {
            char c = text.charAt(position);
            if (c == '"' || c == '\'') {
                throw failure(line, text.substring(start, position + 1), "a quote only at the start of an argument");
            }
            position++;
        }
        return new Token(Kind.WORD, text.substring(start, position), line);
    }

    private static boolean isDelimiter(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ';' || c == '{' || c == '}';
    }
}
