package dev.vtexbridge.connections;

import java.util.List;

/** The connections' configuration cannot run; the engine does not start. Each problem names its property. */
public class InvalidConnectionsException extends IllegalStateException {

    private final List<String> problems;

    public InvalidConnectionsException(List<String> problems) {
        super("Invalid connection configuration:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
