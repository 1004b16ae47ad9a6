package dev.vtexbridge.ledger;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.RequestListener;
import com.github.tomakehurst.wiremock.http.Response;

/**
 * The notifications a stand-in answered, kept small (URL, status, when) as they are served, for
 * {@link LedgerChecker#vtexNotificationsAcrossKills}: WireMock's own journal keeps every request and answer whole,
 * which a long run (hundreds of thousands of notifications) cannot hold in memory, so such a run may reset it.
 */
public final class ServedNotifications implements RequestListener {

    /** One answered request. */
    public record Served(String url, int status, Instant at) {
    }

    private final ConcurrentLinkedQueue<Served> served = new ConcurrentLinkedQueue<>();

    private ServedNotifications() {
    }

    /** Starts listening to what {@code server} answers from now on. */
    public static ServedNotifications on(WireMockServer server) {
        ServedNotifications log = new ServedNotifications();
        server.addMockServiceRequestListener(log);
        return log;
    }

    @Override
    public void requestReceived(Request request, Response response) {
        if (request.getUrl().contains("/api/notificator/")) {
            served.add(new Served(request.getUrl(), response.getStatus(), Instant.now()));
        }
    }

    public List<Served> all() {
        return List.copyOf(served);
    }
}
