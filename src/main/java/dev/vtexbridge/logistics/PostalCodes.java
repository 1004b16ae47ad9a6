package dev.vtexbridge.logistics;

/** Postal codes in one comparable form: letters and digits only, upper case ({@code 22270-030} → {@code 22270030}). */
final class PostalCodes {

    private PostalCodes() {
    }

    /** The normalized code, or null when there is nothing left of it. A char loop: this runs on every simulation. */
    static String normalize(String postalCode) {
        if (postalCode == null) {
            return null;
        }
        StringBuilder code = new StringBuilder(postalCode.length());
        for (int i = 0; i < postalCode.length(); i++) {
            char c = postalCode.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                code.append(Character.toUpperCase(c));
            }
        }
        return code.isEmpty() ? null : code.toString();
    }
}
