package dev.vtexbridge.sync;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

import dev.vtexbridge.erp.Money;

/**
 * {@code mappings/price-rules.yaml}: from the ERP price (one price list) to the selling price, per sales channel and
 * ERP category (first matching rule wins; {@code "*"} matches any): fixed or percentage markup, rounding to a step
 * and/or to a price ending, floor and ceiling (currency units), and the guardrail that holds a large drop. For an
 * external marketplace (role marketplace) a rule may add the marketplace's fees, {@code commissionPercent} (of the
 * price the shopper pays) and {@code fixedFee} (cents per unit sold): the price is grossed up so that what is left
 * after the fees is the price before them, {@code ceil((net + fixedFee) / (1 - commissionPercent / 100))}, before the
 * rounding, floor and ceiling.
 * <pre>
 * priceList: default
 * currency: BRL
 * currencySymbol: "R$"
 * guardrail: {maxDropPercent: 30}
 * rules:
 *   - {channel: "*", category: "C08", markupPercent: 15, rounding: {step: 10, endsWith: 90}, floor: 9.90, ceiling: 5000}
 *   - {channel: "*", category: "*"}
 * </pre>
 */
public record PriceRules(String priceList, String currency, String currencySymbol, Guardrail guardrail, List<Rule> rules) {

    public record Guardrail(BigDecimal maxDropPercent) {
    }

    public record Rounding(Integer step, Integer endsWith) {
    }

    public record Rule(String channel, String category, BigDecimal markupPercent, BigDecimal markupFixed,
                       Rounding rounding, BigDecimal floor, BigDecimal ceiling, BigDecimal commissionPercent,
                       Long fixedFee) {

        @com.fasterxml.jackson.annotation.JsonCreator
        public Rule {
        }

        /** A rule without marketplace fees. */
        public Rule(String channel, String category, BigDecimal markupPercent, BigDecimal markupFixed, Rounding rounding,
                    BigDecimal floor, BigDecimal ceiling) {
            this(channel, category, markupPercent, markupFixed, rounding, floor, ceiling, null, null);
        }

        boolean matches(String salesChannel, String categoryId) {
            return ("*".equals(channel) || channel == null || channel.equals(salesChannel))
                    && ("*".equals(category) || category == null || category.equals(categoryId));
        }
    }

    public PriceRules {
        priceList = priceList == null ? "default" : priceList;
        currency = currency == null ? "BRL" : currency;
        currencySymbol = currencySymbol == null ? "R$" : currencySymbol;
        rules = rules == null ? List.of() : List.copyOf(rules);
    }

    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (!currency.matches("[A-Z]{3}")) {
            problems.add("currency: an ISO 4217 code such as BRL");
        }
        if (guardrail != null && guardrail.maxDropPercent() != null
                && (guardrail.maxDropPercent().signum() < 0 || guardrail.maxDropPercent().compareTo(BigDecimal.valueOf(100)) > 0)) {
            problems.add("guardrail.maxDropPercent: between 0 and 100");
        }
        for (int i = 0; i < rules.size(); i++) {
            Rule rule = rules.get(i);
            String at = "rules[" + i + "].";
            if (rule.markupPercent() != null && rule.markupFixed() != null) {
                problems.add(at + "markupPercent/markupFixed: one or the other");
            }
            if (rule.rounding() != null && rule.rounding().step() != null && rule.rounding().step() < 1) {
                problems.add(at + "rounding.step: at least 1 (cents)");
            }
            if (rule.rounding() != null && rule.rounding().endsWith() != null
                    && (rule.rounding().endsWith() < 0 || rule.rounding().endsWith() > 99)) {
                problems.add(at + "rounding.endsWith: cents between 0 and 99");
            }
            if (rule.commissionPercent() != null && (rule.commissionPercent().signum() < 0
                    || rule.commissionPercent().compareTo(BigDecimal.valueOf(100)) >= 0)) {
                problems.add(at + "commissionPercent: at least 0 and below 100");
            }
            if (rule.fixedFee() != null && rule.fixedFee() < 0) {
                problems.add(at + "fixedFee: not negative (cents)");
            }
            if (rule.floor() != null && rule.ceiling() != null && rule.floor().compareTo(rule.ceiling()) > 0) {
                problems.add(at + "floor: above ceiling");
            }
        }
        return problems;
    }

    /** The selling price in cents for an ERP price in cents; the ERP price when no rule matches. */
    public long sellingPrice(String salesChannel, String categoryId, long erpCents) {
        Rule rule = rules.stream().filter(r -> r.matches(salesChannel, categoryId)).findFirst().orElse(null);
        if (rule == null) {
            return erpCents;
        }
        BigDecimal price = BigDecimal.valueOf(erpCents);
        if (rule.markupPercent() != null) {
            price = price.multiply(BigDecimal.valueOf(100).add(rule.markupPercent())).divide(BigDecimal.valueOf(100));
        }
        if (rule.markupFixed() != null) {
            price = price.add(rule.markupFixed().movePointRight(2));
        }
        long cents = price.setScale(0, RoundingMode.HALF_UP).longValue();
        if (rule.commissionPercent() != null || rule.fixedFee() != null) {
            cents = grossedUp(cents, rule.commissionPercent(), rule.fixedFee());
        }
        if (rule.rounding() != null) {
            if (rule.rounding().step() != null) {
                long step = rule.rounding().step();
                cents = BigDecimal.valueOf(cents).divide(BigDecimal.valueOf(step), 0, RoundingMode.HALF_UP).longValue() * step;
            }
            if (rule.rounding().endsWith() != null) {
                long ending = rule.rounding().endsWith();
                long candidate = (cents / 100) * 100 + ending;
                cents = candidate >= cents ? candidate : candidate + 100;
            }
        }
        if (rule.floor() != null) {
            cents = Math.max(cents, Money.cents(rule.floor()));
        }
        if (rule.ceiling() != null) {
            cents = Math.min(cents, Money.cents(rule.ceiling()));
        }
        return Math.max(0, cents);
    }

    /**
     * The price that leaves {@code net} cents after the marketplace's fees: {@code ceil((net + fixedFee) /
     * (1 - commissionPercent / 100))}, so the commission on it plus the fixed fee never eat into the net.
     */
    public static long grossedUp(long net, BigDecimal commissionPercent, Long fixedFee) {
        BigDecimal due = BigDecimal.valueOf(net + (fixedFee == null ? 0 : fixedFee));
        BigDecimal kept = BigDecimal.ONE.subtract(commissionPercent == null ? BigDecimal.ZERO
                : commissionPercent.divide(BigDecimal.valueOf(100)));
        return due.divide(kept, 0, RoundingMode.CEILING).longValue();
    }

    /** The list price shown next to a selling price: the ERP's list price, never below the selling price. */
    public static Long listPrice(long selling, Long erpListCents) {
        return erpListCents == null ? null : Math.max(selling, erpListCents);
    }

    /** Whether going from {@code previous} to {@code next} (cents) is a drop the guardrail holds for approval. */
    public boolean holds(Long previous, long next) {
        if (guardrail == null || guardrail.maxDropPercent() == null || previous == null || previous <= 0 || next >= previous) {
            return false;
        }
        BigDecimal drop = BigDecimal.valueOf(previous - next).multiply(BigDecimal.valueOf(100))
                .divide(BigDecimal.valueOf(previous), 4, RoundingMode.HALF_UP);
        return drop.compareTo(guardrail.maxDropPercent()) > 0;
    }
}
