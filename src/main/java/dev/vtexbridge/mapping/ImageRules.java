package dev.vtexbridge.mapping;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code mappings/images.yaml}: how ERP image file names become the https URLs VTEX requires.
 * <pre>
 * baseUrl: "https://images.seller.example/"   # prefixed to file names that are not URLs
 * forceHttps: true                            # http:// URLs are rewritten to https://
 * maxImages: 10                               # at most this many, in ERP order
 * </pre>
 */
public record ImageRules(String baseUrl, Boolean forceHttps, Integer maxImages) {

    public ImageRules {
        forceHttps = forceHttps == null || forceHttps;
        maxImages = maxImages == null ? 10 : maxImages;
    }

    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (baseUrl != null && !baseUrl.startsWith("https://")) {
            problems.add("baseUrl: must be an https:// URL (VTEX accepts only https images)");
        }
        if (maxImages < 1) {
            problems.add("maxImages: must be at least 1");
        }
        return problems;
    }

    /** The URL of one ERP image file name, or null when it cannot be made https. */
    public String url(String fileName) {
        String name = fileName.trim();
        if (name.startsWith("http://") && forceHttps) {
            name = "https://" + name.substring("http://".length());
        }
        if (name.startsWith("https://")) {
            return name;
        }
        if (name.contains("://") || baseUrl == null) {
            return null;
        }
        return baseUrl + (baseUrl.endsWith("/") || name.startsWith("/") ? "" : "/") + (baseUrl.endsWith("/") && name.startsWith("/") ? name.substring(1) : name);
    }
}
