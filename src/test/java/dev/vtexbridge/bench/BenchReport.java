package dev.vtexbridge.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * A dated entry of {@code bench/RESULTS.md}: what was measured, the command, the machine (cores, CPU model, JDK, load)
 * and each target with pass/fail. Appended, never rewritten, so the file is the history of every run.
 */
final class BenchReport {

    private final String title;
    private final String command;
    private final List<String> lines = new ArrayList<>();
    private final List<String> targets = new ArrayList<>();
    private final String loadAtStart = loadAverage();
    private boolean allPassed = true;

    BenchReport(String title, String command) {
        this.title = title;
        this.command = command;
    }

    void line(String text) {
        lines.add(text);
        System.out.println(text);
    }

    boolean target(String what, boolean passed, String measured) {
        allPassed &= passed;
        String text = "| " + what + " | " + measured + " | " + (passed ? "PASS" : "**FAIL**") + " |";
        targets.add(text);
        System.out.println((passed ? "PASS  " : "FAIL  ") + what + ": " + measured);
        return passed;
    }

    boolean allPassed() {
        return allPassed;
    }

    /** Appends the entry to the results file (created with a heading when missing). */
    void appendTo(Path results) throws IOException {
        StringBuilder entry = new StringBuilder();
        if (!Files.exists(results)) {
            entry.append("# Benchmark results\n\nOne dated entry per run, appended by the benchmark itself "
                    + "(`bench/README.md` says how to run each one). Newest last.\n");
        }
        entry.append("\n## ").append(ZonedDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z")))
                .append(" — ").append(title).append(allPassed ? " — all targets met" : " — TARGET MISSED").append("\n\n");
        entry.append("- Command: `").append(command).append("`\n");
        entry.append("- Machine: ").append(machine()).append("\n");
        entry.append("- Load average (1/5/15 min) at start: ").append(loadAtStart).append(", at end: ").append(loadAverage())
                .append(" (other builds may share this machine)\n\n");
        entry.append("| Target | Measured | Result |\n|---|---|---|\n");
        targets.forEach(t -> entry.append(t).append("\n"));
        entry.append("\n");
        lines.forEach(l -> entry.append(l.isBlank() ? "" : "    ").append(l).append("\n"));
        Files.createDirectories(results.toAbsolutePath().getParent());
        Files.writeString(results, entry.toString(), StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        System.out.println("Appended to " + results);
    }

    static String machine() {
        return Runtime.getRuntime().availableProcessors() + " cores (nproc), " + cpuModel() + ", JDK "
                + System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version") + ", "
                + garbageCollectors() + ", max heap " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB";
    }

    static String garbageCollectors() {
        List<String> names = new ArrayList<>();
        ManagementFactory.getGarbageCollectorMXBeans().forEach(gc -> names.add(gc.getName()));
        return "GC " + String.join("/", names);
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("CPU model unknown");
        } catch (IOException | RuntimeException e) {
            return "CPU model unknown";
        }
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " / " + parts[1] + " / " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
