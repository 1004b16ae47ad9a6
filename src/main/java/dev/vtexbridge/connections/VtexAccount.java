package dev.vtexbridge.connections;

import org.springframework.boot.context.properties.bind.ConstructorBinding;

/**
 * A connection's VTEX side ({@code bridge.connections.<id>.vtex.*}): the account and environment, the credentials
 * VTEX issued to us (secrets: {@link #toString()} never shows them), our seller id and sales channel there, and the
 * base URLs of its APIs. {@code affiliateId}: in the marketplace role, the affiliate the VTEX store created for us
 * (three consonants, e.g. {@code MKP}); unused in the seller role.
 */
public record VtexAccount(
        String account,
        String environment,
        String appKey,
        String appToken,
        String sellerId,
        String salesChannel,
        String apiUrl,
        String suggestionsUrl,
        String affiliateId) {

    @ConstructorBinding
    public VtexAccount {
    }

    /** A seller-role account, which has no affiliate id. */
    public VtexAccount(String account, String environment, String appKey, String appToken, String sellerId,
                       String salesChannel, String apiUrl, String suggestionsUrl) {
        this(account, environment, appKey, appToken, sellerId, salesChannel, apiUrl, suggestionsUrl, null);
    }

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
                ConnectionProperties.firstSet(suggestionsUrl, fallback.suggestionsUrl),
                ConnectionProperties.firstSet(affiliateId, fallback.affiliateId));
    }

    /** The same account with the base URLs VTEX serves it at, where none are set: as for {@code bridge.vtex.*}. */
    VtexAccount withDerivedUrls() {
        if (account == null || environment == null) {
            return this;
        }
        return new VtexAccount(account, environment, appKey, appToken, sellerId, salesChannel,
                ConnectionProperties.firstSet(apiUrl, "https://" + account + "." + environment + ".com.br"),
                ConnectionProperties.firstSet(suggestionsUrl, "https://api.vtex.com/" + account), affiliateId);
    }

    @Override
    public String toString() {
        return "VtexAccount[account=" + account + ", environment=" + environment + ", appKey="
                + ConnectionProperties.hidden(appKey) + ", appToken=" + ConnectionProperties.hidden(appToken)
                + ", sellerId=" + sellerId + ", salesChannel=" + salesChannel + ", apiUrl=" + apiUrl
                + ", suggestionsUrl=" + suggestionsUrl + (affiliateId == null ? "" : ", affiliateId=" + affiliateId) + "]";
    }
}
