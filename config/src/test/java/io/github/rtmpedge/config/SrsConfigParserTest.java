package io.github.rtmpedge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.rtmpedge.config.InvalidConfigException.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SrsConfigParserTest {

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("srs.conf");
    }

    private List<SrsDirective> parse(String text) {
        return SrsConfigParser.parse(file(), text);
    }

    private SrsDirective directive(String name, int line, String... args) {
        return new SrsDirective(name, List.of(args), null, file(), line);
    }

    private Problem problem(String text) {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> parse(text));
        assertEquals(1, e.problems().size(), e.getMessage());
        return e.problems().get(0);
    }

    @Test
    void directivesHaveANameArgumentsAndALine() {
        assertEquals(
                List.of(directive("listen", 1, "1935", "1936"), directive("daemon", 2, "off")),
                parse("listen   1935\t1936;\ndaemon off;\n"));
    }

    @Test
    void aDirectiveMaySpanLines() {
        assertEquals(List.of(directive("origin", 2, "a:1", "b:2")), parse("\norigin a:1\n  b:2;"));
    }

    @Test
    void blocksNest() {
        List<SrsDirective> parsed = parse("vhost __defaultVhost__ {\n  cluster { mode remote; }\n}\n");
        SrsDirective cluster =
                new SrsDirective("cluster", List.of(), List.of(directive("mode", 2, "remote")), file(), 2);
        assertEquals(
                List.of(new SrsDirective("vhost", List.of("__defaultVhost__"), List.of(cluster), file(), 1)), parsed);
    }

    @Test
    void anEmptyBlockHasNoDirectives() {
        assertEquals(List.of(new SrsDirective("stats", List.of(), List.of(), file(), 1)), parse("stats {}"));
    }

    @Test
    void hashStartsACommentToTheEndOfTheLine() {
        assertEquals(List.of(directive("listen", 2, "1935")), parse("# listen 1;\nlisten 1935; # the RTMP port\n#}\n"));
    }

    @Test
    void hashInsideAnArgumentIsPartOfIt() {
        assertEquals(List.of(directive("token", 1, "a#b")), parse("token a#b;"));
    }

    @Test
    void doubleQuotesKeepSpacesSemicolonsBracesAndHashes() {
        assertEquals(List.of(directive("text", 1, "a b;{}#c", "d")), parse("text \"a b;{}#c\" d;"));
    }

    @Test
    void singleQuotesWorkLikeDoubleQuotes() {
        assertEquals(List.of(directive("text", 1, "say \"hi\"", "")), parse("text 'say \"hi\"' '';"));
    }

    @Test
    void includeIsReplacedByTheIncludedDirectivesRelativeToTheIncludingFile() throws IOException {
        Files.createDirectories(dir.resolve("conf.d"));
        Path vhost = Files.writeString(dir.resolve("conf.d/vhost.conf"), "\n\nmode remote;\n");
        List<SrsDirective> parsed = parse("listen 1935;\nvhost __defaultVhost__ { include conf.d/vhost.conf; }\n");
        SrsDirective mode = new SrsDirective("mode", List.of("remote"), null, vhost, 3);
        assertEquals(
                List.of(
                        directive("listen", 1, "1935"),
                        new SrsDirective("vhost", List.of("__defaultVhost__"), List.of(mode), file(), 2)),
                parsed);
    }

    @Test
    void includeOfAnIncludeIsRelativeToItsOwnFile() throws IOException {
        Files.createDirectories(dir.resolve("a/b"));
        Files.writeString(dir.resolve("a/first.conf"), "include b/second.conf;");
        Path second = Files.writeString(dir.resolve("a/b/second.conf"), "max_connections 5;");
        assertEquals(
                List.of(new SrsDirective("max_connections", List.of("5"), null, second, 1)),
                parse("include a/first.conf;"));
    }

    @Test
    void closingBraceWithoutABlockIsAProblemAtItsLine() {
        assertEquals(
                new Problem(file() + ":2", "\"}\"", "balanced braces (this `}` closes no block)"),
                problem("listen 1935;\n}\n"));
    }

    @Test
    void unclosedBlockIsAProblemAtTheLineThatOpensIt() {
        assertEquals(
                new Problem(
                        file() + ":2",
                        "\"http_api\"",
                        "balanced braces (the block `http_api {` opened here is never closed)"),
                problem("listen 1935;\nhttp_api {\n  enabled on;\n"));
    }

    @Test
    void missingSemicolonBeforeAClosingBraceIsAProblem() {
        assertEquals(
                new Problem(file() + ":2", "\"enabled on\"", "`;` after `enabled on` (missing before `}` on line 3)"),
                problem("http_api {\n  enabled on\n}\n"));
    }

    @Test
    void missingSemicolonAtTheEndOfTheFileIsAProblem() {
        assertEquals(
                new Problem(
                        file() + ":2", "\"daemon off\"", "`;` after `daemon off` (missing before the end of the file)"),
                problem("listen 1935;\ndaemon off\n"));
    }

    @Test
    void unclosedQuoteIsAProblemAtTheLineThatOpensIt() {
        assertEquals(
                new Problem(file() + ":2", "\"", "a closing \" (the quoted string opened here is never closed)"),
                problem("listen 1935;\npid \"x;\n\n"));
    }

    @Test
    void strayQuoteInsideAnArgumentIsAProblem() {
        assertEquals(
                new Problem(file() + ":1", "ab\"", "a quote only at the start of an argument"),
                problem("pid ab\"c\";"));
    }

    @Test
    void emptyStatementIsAProblem() {
        assertEquals(
                new Problem(file() + ":1", "\";\"", "a directive before `;` (an empty statement)"),
                problem("listen 1935;;"));
    }

    @Test
    void blockWithoutANameIsAProblem() {
        assertEquals(new Problem(file() + ":1", "\"{\"", "a directive name before `{`"), problem("{ listen 1935; }"));
    }

    @Test
    void missingIncludedFileIsAProblemAtTheInclude() {
        Problem problem = problem("listen 1935;\ninclude nope.conf;");
        assertEquals(
                List.of(file() + ":2", "\"" + dir.resolve("nope.conf") + "\""),
                List.of(problem.path(), problem.value()));
    }

    @Test
    void includeCycleIsAProblem() throws IOException {
        Files.writeString(dir.resolve("loop.conf"), "include loop.conf;");
        Problem problem = problem("include loop.conf;");
        assertEquals("includes nested at most 16 deep (is a file including itself?)", problem.expected());
    }
}
