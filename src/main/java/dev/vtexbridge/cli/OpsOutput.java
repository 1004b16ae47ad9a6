package dev.vtexbridge.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vtexbridge.cli.OpsApi.ApiException;
import dev.vtexbridge.cli.OpsCli.Exit;

/** The ops CLI's output: the API's JSON answer as it is, or a plain-text table of it. */
final class OpsOutput {

    private OpsOutput() {
    }

    static void printJson(PrintWriter out, JsonNode node) {
        try {
            out.println(OpsApi.JSON.writeValueAsString(node));
        } catch (IOException e) {
            throw new ApiException(Exit.API_ERROR, e.getMessage());
        }
    }

    /** A plain-text table of the given columns (all of the first row's fields when none are given). */
    static void printTable(PrintWriter out, JsonNode items, List<String> columns) {
        List<String> names = new ArrayList<>(columns);
        if (names.isEmpty() && items.size() > 0) {
            items.get(0).fieldNames().forEachRemaining(names::add);
        }
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode item : items) {
            List<String> row = new ArrayList<>();
            for (String name : names) {
                row.add(cell(item.path(name)));
            }
            rows.add(row);
        }
        int[] widths = new int[names.size()];
        for (int i = 0; i < names.size(); i++) {
            widths[i] = names.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        out.println(line(names.stream().map(String::toUpperCase).toList(), widths));
        rows.forEach(row -> out.println(line(row, widths)));
    }

    private static String line(List<String> cells, int[] widths) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            text.append(i == 0 ? "" : "  ").append(i == cells.size() - 1 ? cells.get(i)
                    : String.format("%-" + widths[i] + "s", cells.get(i)));
        }
        return text.toString();
    }

    private static String cell(JsonNode value) {
        String text = value.isMissingNode() || value.isNull() ? "" : value.isValueNode() ? value.asText() : value.toString();
        text = text.replaceAll("\\s+", " ");
        return text.length() > 70 ? text.substring(0, 67) + "..." : text;
    }
}
