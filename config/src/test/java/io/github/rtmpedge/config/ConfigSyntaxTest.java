package io.github.rtmpedge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigSyntaxTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "listen 1935;",
                "# a comment = with equals\nlisten 1935;",
                "vhost __defaultVhost__ { cluster { mode remote; origin 127.0.0.1:19350; } }",
                "vhost __defaultVhost__ {\n cluster {\n  origin 127.0.0.1:19350\n    localhost:19351\n    [::1]:19352;\n }\n}",
                "http_api { listen 127.0.0.1:1985; }",
                "pid \"a = b: c\";",
            })
    void srsText(String text) {
        assertEquals(ConfigSyntax.SRS, ConfigSyntax.detect(text));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "max_connections = 1000",
                "max_connections: 1000",
                "http_api { enabled = on, listen = 1985 }",
                "listen += 1936",
                "\"quoted.key\" = 5",
                "// a comment; with a semicolon\nmax_connections = 5",
                "# comment only; nothing else",
                "cluster {\n  origin = \"a:1;b:2\"\n}",
                "listen 1935;\nmax_connections = 5",
                "a {\n b: {\n }\n}\nc = \"x;\"",
            })
    void hoconText(String text) {
        assertEquals(ConfigSyntax.HOCON, ConfigSyntax.detect(text));
    }
}
