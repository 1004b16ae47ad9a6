package dev.vtexbridge.erp;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** ERP amounts (currency units with decimals) to protocol amounts (integer cents) and back. */
public final class Money {

    private Money() {
    }

    public static long cents(BigDecimal amount) {
        return amount.setScale(2, RoundingMode.HALF_UP).movePointRight(2).longValueExact();
    }

    public static BigDecimal units(long cents) {
        return BigDecimal.valueOf(cents, 2);
    }
}
