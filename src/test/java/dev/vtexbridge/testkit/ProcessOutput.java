package dev.vtexbridge.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The file an engine process of a test writes its output to. */
record ProcessOutput(Path file) {

    /** Everything the process has printed so far. */
    String all() {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    /** Its last 40 lines, for a failure message. */
    String tail() {
        List<String> lines = all().lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
