package dev.vtexbridge.logistics;

/**
 * Where an SLA applies: a whole country, or a range of its postal codes. Bounds are normalized ({@link PostalCodes})
 * and compared as strings of the same length, which for numeric codes is numeric order.
 */
record Destination(String country, String postalCodeFrom, String postalCodeTo) {

    boolean wholeCountry() {
        return postalCodeFrom == null;
    }

    /** @param postalCode already normalized */
    boolean matches(String country, String postalCode) {
        if (!this.country.equalsIgnoreCase(country)) {
            return false;
        }
        return wholeCountry() || postalCode.length() == postalCodeFrom.length()
                && postalCode.compareTo(postalCodeFrom) >= 0 && postalCode.compareTo(postalCodeTo) <= 0;
    }
}
