package dev.vtexbridge.sync;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code mappings/stock-rules.yaml}: from the ERP's units per warehouse to the quantity the marketplace sees, per sales
 * channel (first matching rule wins): which warehouses count, a safety buffer, a percentage allocation, a maximum
 * exposed quantity and a threshold below which zero is exposed.
 * <pre>
 * rules:
 *   - {channel: "*", warehouses: ["*"], safetyBuffer: 2, allocationPercent: 100, maxExposed: 500, zeroBelow: 3}
 * </pre>
 * Applied in that order: sum of counted warehouses − buffer (not below 0) → × allocation % (rounded down) → capped at
 * maxExposed → 0 when below zeroBelow.
 */
public record StockRules(List<Rule> rules) {

    public record Rule(String channel, List<String> warehouses, Integer safetyBuffer, Integer allocationPercent,
                       Integer maxExposed, Integer zeroBelow) {

        boolean matches(String salesChannel) {
            return channel == null || "*".equals(channel) || channel.equals(salesChannel);
        }

        boolean counts(String warehouse) {
            return warehouses == null || warehouses.isEmpty() || warehouses.contains("*") || warehouses.contains(warehouse);
        }
    }

    public StockRules {
        rules = rules == null ? List.of() : List.copyOf(rules);
    }

    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            Rule rule = rules.get(i);
            String at = "rules[" + i + "].";
            if (rule.safetyBuffer() != null && rule.safetyBuffer() < 0) {
                problems.add(at + "safetyBuffer: not negative");
            }
            if (rule.allocationPercent() != null && (rule.allocationPercent() < 0 || rule.allocationPercent() > 100)) {
                problems.add(at + "allocationPercent: between 0 and 100");
            }
            if (rule.maxExposed() != null && rule.maxExposed() < 0) {
                problems.add(at + "maxExposed: not negative");
            }
            if (rule.zeroBelow() != null && rule.zeroBelow() < 0) {
                problems.add(at + "zeroBelow: not negative");
            }
        }
        return problems;
    }

    /**
     * The exposed units per warehouse: the exposed total, spread over the counted warehouses in name order (each
     * given at most what it has), so the projection's per-warehouse numbers add up to what the marketplace may sell.
     */
    public Map<String, Integer> expose(String salesChannel, Map<String, Integer> erpStock) {
        Rule rule = rule(salesChannel);
        Map<String, Integer> counted = counted(rule, erpStock);
        int total = counted.values().stream().mapToInt(Integer::intValue).sum();
        int exposed = rule == null ? total : exposedTotal(rule, total);
        Map<String, Integer> result = new LinkedHashMap<>();
        int left = exposed;
        for (Map.Entry<String, Integer> warehouse : counted.entrySet()) {
            int share = Math.min(left, warehouse.getValue());
            result.put(warehouse.getKey(), share);
            left -= share;
        }
        return result;
    }

    /** The exposed total of {@link #expose}. */
    public int exposedTotal(String salesChannel, Map<String, Integer> erpStock) {
        return expose(salesChannel, erpStock).values().stream().mapToInt(Integer::intValue).sum();
    }

    /**
     * The most of the pool this channel may ever sell, whatever its allocation: the counted warehouses minus the
     * safety buffer, not below 0. Other channels' holds count against it ({@link StockAllocation}).
     */
    public int sellable(String salesChannel, Map<String, Integer> erpStock) {
        Rule rule = rule(salesChannel);
        int total = counted(rule, erpStock).values().stream().mapToInt(Integer::intValue).sum();
        int buffer = rule == null || rule.safetyBuffer() == null ? 0 : rule.safetyBuffer();
        return Math.max(0, total - buffer);
    }

    private Rule rule(String salesChannel) {
        return rules.stream().filter(r -> r.matches(salesChannel)).findFirst().orElse(null);
    }

    private static Map<String, Integer> counted(Rule rule, Map<String, Integer> erpStock) {
        Map<String, Integer> counted = new TreeMap<>();
        erpStock.forEach((warehouse, quantity) -> {
            if (rule == null || rule.counts(warehouse)) {
                counted.put(warehouse, Math.max(0, quantity == null ? 0 : quantity));
            }
        });
        return counted;
    }

    private static int exposedTotal(Rule rule, int total) {
        long exposed = Math.max(0, total - (rule.safetyBuffer() == null ? 0 : rule.safetyBuffer()));
        if (rule.allocationPercent() != null) {
            exposed = exposed * rule.allocationPercent() / 100;
        }
        if (rule.maxExposed() != null) {
            exposed = Math.min(exposed, rule.maxExposed());
        }
        if (rule.zeroBelow() != null && exposed < rule.zeroBelow()) {
            exposed = 0;
        }
        return (int) exposed;
    }
}
