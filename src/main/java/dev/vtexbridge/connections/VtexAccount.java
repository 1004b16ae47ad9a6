package dev.vtexbridge.connections;

/**
 * A connection's VTEX side ({@code bridge.connections.<id>.vtex.*}): the account and environment, the credentials
 * VTEX issued to us (secrets: {@link #toString()} never shows them), our seller id and sales channel there, and the
 * base URLs of its APIs.
 */
public record VtexAccount(
        String account,
        String environment,
        String appKey,
        String appToken,
        String sellerId,
        String salesChannel,
        String apiUrl,
        String suggestionsUrl) {

    /** These values where set, else the fallback's. */
    VtexAccount orElse(VtexAccount fallback) {
        return fallback == null ? this : new VtexAccount(
                ConnectionProperties.firstSet(account, fallback.account),
                ConnectionProperties.firstSet(environment, fallback.environment),
                ConnectionProperties.firstSet(appKey, fallback.appKey),
                ConnectionProperties.firstSet(appToken, fallback.appToken),
                ConnectionProperties.firstSet(sellerId, fallback.sellerId),
                ConnectionProperties.firstSet(salesChannel, fallback.salesChannel),
                ConnectionProperties.firstSet(apiUrl, fallback.apiUrl),
                ConnectionProperties.firstSet(suggestionsUrl, fallback.suggestionsUrl));
    }

    /** The same account with the base URLs VTEX serves it at, where none are set: as for {@code bridge.vtex.*}. */
    VtexAccount withDerivedUrls() {
        if (account == null || environment == null) {
            return this;
        }
        return new VtexAccount(account, environment, appKey, appToken, sellerId, salesChannel,
                ConnectionProperties.firstSet(apiUrl, "https://" + account + "." + environment + ".com.br"),
                ConnectionProperties.firstSet(suggestionsUrl, "https://api.vtex.com/" + account));
    }

    @Override
    public String toString() {
        return "VtexAccount[account=" + account + ", environment=" + environment + ", appKey="
                + ConnectionProperties.hidden(appKey) + ", appToken=" + ConnectionProperties.hidden(appToken)
                + ", sellerId=" + sellerId + ", salesChannel=" + salesChannel + ", apiUrl=" + apiUrl
                + ", suggestionsUrl=" + suggestionsUrl + "]";
    }
}
