package io.github.rtmpedge.edge.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HookAnswerTest {

    @Test
    void http200WithZeroOrCodeZeroAllows() {
        assertTrue(HookAnswer.allows(200, "0"));
        assertTrue(HookAnswer.allows(200, " 0\n"));
        assertTrue(HookAnswer.allows(200, "{\"code\":0}"));
        assertTrue(HookAnswer.allows(200, "{ \"msg\": \"ok\", \"code\" : 0 }"));
    }

    @Test
    void anythingElseRefuses() {
        assertFalse(HookAnswer.allows(200, "1"));
        assertFalse(HookAnswer.allows(200, ""));
        assertFalse(HookAnswer.allows(200, "{\"code\":1}"));
        assertFalse(HookAnswer.allows(200, "{\"code\":\"0\"}"), "a string is not the number 0");
        assertFalse(HookAnswer.allows(200, "{\"code\":0.5}"));
        assertFalse(HookAnswer.allows(200, "{\"code\":01}"));
        assertFalse(HookAnswer.allows(200, "{\"msg\":\"code\"}"));
        assertFalse(HookAnswer.allows(200, "{\"data\":{\"code\":0},\"code\":403}"), "only the top-level code counts");
        assertFalse(HookAnswer.allows(403, "0"));
        assertFalse(HookAnswer.allows(500, "{\"code\":0}"));
        assertFalse(HookAnswer.allows(200, "{\"code\""), "truncated");
    }

    @Test
    void topLevelCodeSkipsStringsAndNesting() {
        assertEquals("7", HookAnswer.topLevelCode("{\"s\":\"\\\"code\\\":0\",\"code\":7}"));
        assertEquals("0", HookAnswer.topLevelCode("{\"a\":[{\"code\":5}],\"code\":0}"));
    }
}
