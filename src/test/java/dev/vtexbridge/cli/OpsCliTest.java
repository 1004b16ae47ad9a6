package dev.vtexbridge.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vtexbridge.orders.OrderLinks;
import dev.vtexbridge.sync.OfferProjection;
import dev.vtexbridge.testkit.EngineTest;
import dev.vtexbridge.testkit.OpsClient;
import dev.vtexbridge.testkit.OrderDriver;
import dev.vtexbridge.testkit.SellerClient;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Each CLI command against the running engine, through the CLI's Java entry point. */
class OpsCliTest extends EngineTest {

    @Autowired
    ProducerTemplate producer;
    @Autowired
    OfferProjection projection;
    @Autowired
    OrderLinks links;

    record Run(int exit, String out, String err) {
        JsonNode json() throws Exception {
            return new ObjectMapper().readTree(out);
        }
    }

    private Run cliWithToken(String token, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--url";
        all[args.length + 1] = engineUrl("");
        int exit = OpsCli.run(all, token == null ? Map.of() : Map.of("BRIDGE_OPS_TOKEN", token),
                new PrintWriter(out), new PrintWriter(err));
        return new Run(exit, out.toString(), err.toString());
    }

    private Run cli(String... args) {
        return cliWithToken(OPS_TOKEN, args);
    }

    /** Makes n failed messages whose error text contains the returned batch name. */
    private String failures(int n) {
        String batch = "c-" + UUID.randomUUID().toString().substring(0, 8);
        remote.stubFor(post(urlPathMatching("/deliver/" + batch + "-.*")).willReturn(aResponse().withStatus(422).withBody("rejected")));
        for (int i = 0; i < n; i++) {
            producer.sendBodyAndHeader("jms:queue:test.remote-delivery", "{}", "messageId", batch + "-" + i);
        }
        OpsClient ops = new OpsClient(engineUrl(""), OPS_TOKEN);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                ops.get("/ops/api/failed?status=FAILED&error=" + batch).json().get("total").asLong() == n);
        return batch;
    }

    @Test
    void listsShowsReplaysAndDiscardsFailedMessages() throws Exception {
        String batch = failures(3);

        Run table = cli("failed", "list", "--error", batch, "--since", "1h");
        assertThat(table.exit()).as(table.err()).isZero();
        assertThat(table.out()).contains("ID", "STATUS", "ROUTEID", "FAILED", "3 in all");

        Run json = cli("failed", "list", "--error", batch, "--status", "failed", "--json");
        assertThat(json.exit()).isZero();
        JsonNode items = json.json().get("items");
        assertThat(items).hasSize(3);
        long first = items.get(0).get("id").asLong();
        long second = items.get(1).get("id").asLong();
        assertThat(cli("failed", "list", "--error", batch, "--connection", "default", "--json").json().get("total").asLong())
                .isEqualTo(3);
        assertThat(cli("failed", "list", "--error", batch, "--connection", "outlet", "--json").json().get("total").asLong())
                .isZero();

        Run show = cli("failed", "show", String.valueOf(first));
        assertThat(show.exit()).isZero();
        assertThat(show.json().get("id").asLong()).isEqualTo(first);
        assertThat(show.json().get("history")).isNotEmpty();

        Run discard = cli("discard", String.valueOf(second), "--reason", "test data");
        assertThat(discard.exit()).as(discard.err()).isZero();
        assertThat(discard.out()).contains(second + " DISCARDED");
        assertThat(cli("discard", String.valueOf(second)).exit()).as("--reason is required").isEqualTo(OpsCli.Exit.USAGE);

        // The remote system accepts them now, so a replayed message stays REPLAYED.
        remote.stubFor(post(urlPathMatching("/deliver/" + batch + "-.*")).willReturn(aResponse().withStatus(200)));
        Run replay = cli("replay", String.valueOf(first));
        assertThat(replay.exit()).as(replay.err()).isZero();
        assertThat(replay.out()).contains(first + " REPLAYED");
        Run again = cli("replay", String.valueOf(second));
        assertThat(again.exit()).as("a discarded row is not replayed").isEqualTo(OpsCli.Exit.CONFLICT);
        assertThat(again.err()).contains("not in status FAILED");

        Run dryRun = cli("replay", "--error", batch, "--since", "2h", "--dry-run");
        assertThat(dryRun.exit()).isZero();
        assertThat(dryRun.out()).contains("1 failed message(s) match; dry run");
        Run bulk = cli("replay", "--error", batch, "--since", "2h", "--rate", "10", "--poll", "100");
        assertThat(bulk.exit()).as(bulk.err()).isZero();
        assertThat(bulk.out()).contains("replaying 1 failed message(s) at 10/s...", "1/1 done",
                "done: 1 matched, 1 replayed, 0 failed again, 0 skipped");

        Run audit = cli("audit", "--actor", "ops", "--action", "DISCARD");
        assertThat(audit.exit()).isZero();
        assertThat(audit.out()).contains("failed-message " + second, "test data");
    }

    @Test
    void wrongTokenUnknownIdsAndBadUsageExitNonZeroWithAClearMessage() {
        Run wrong = cliWithToken("wrong-token", "failed", "list");
        assertThat(wrong.exit()).isEqualTo(OpsCli.Exit.UNAUTHORIZED);
        assertThat(wrong.err()).contains("refused the token");
        Run none = cliWithToken(null, "failed", "list");
        assertThat(none.exit()).isEqualTo(OpsCli.Exit.UNAUTHORIZED);
        assertThat(none.err()).contains("BRIDGE_OPS_TOKEN");

        Run unknown = cli("failed", "show", "999999999");
        assertThat(unknown.exit()).isEqualTo(OpsCli.Exit.NOT_FOUND);
        assertThat(unknown.err()).contains("no failed message with id 999999999");
        assertThat(cli("replay", "999999999").exit()).isEqualTo(OpsCli.Exit.NOT_FOUND);
        assertThat(cli("discard", "999999999", "--reason", "x").exit()).isEqualTo(OpsCli.Exit.NOT_FOUND);
        Run order = cli("orders", "show", "no-such-order-" + UUID.randomUUID());
        assertThat(order.exit()).isEqualTo(OpsCli.Exit.NOT_FOUND);

        assertThat(cli("replay").exit()).isEqualTo(OpsCli.Exit.USAGE);
        assertThat(cli("failed", "list", "--since", "yesterday").exit()).isEqualTo(OpsCli.Exit.USAGE);
        assertThat(cli("nonsense").exit()).isEqualTo(OpsCli.Exit.USAGE);

        StringWriter err = new StringWriter();
        int unreachable = OpsCli.run(new String[] {"--url", "http://127.0.0.1:1", "failed", "list"},
                Map.of("BRIDGE_OPS_TOKEN", OPS_TOKEN), new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertThat(unreachable).isEqualTo(OpsCli.Exit.UNREACHABLE);
        assertThat(err.toString()).contains("cannot reach the engine");
    }

    @Test
    void printsAShellCompletionScriptNamingTheCommands() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = OpsCli.run(new String[] {"generate-completion"}, Map.of(), new PrintWriter(out), new PrintWriter(err));
        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).contains("complete -F _complete_ops", "replay-jobs", "connections", "--since");

        StringWriter usage = new StringWriter();
        OpsCli.run(new String[] {"--help"}, Map.of(), new PrintWriter(usage), new PrintWriter(new StringWriter()));
        assertThat(usage.toString()).as("hidden from the commands, told of in the footer")
                .doesNotContain("generate-completion  ").contains("source <(ops generate-completion)");
    }

    @Test
    void offersAndOrders() throws Exception {
        Run offers = cli("offers", "list", "--status", "error", "--json");
        assertThat(offers.exit()).as(offers.err()).isZero();
        assertThat(offers.json().has("items")).isTrue();
        assertThat(cli("offers", "list", "--status", "error").exit()).isZero();
        assertThat(cli("offers", "list", "--status", "weird").exit()).isEqualTo(OpsCli.Exit.USAGE);
        assertThat(cli("offers", "list", "--connection", "outlet", "--json").exit()).isZero();
        // a marketplace connection's offers are its listings
        String listed = "8" + (System.currentTimeMillis() % 100_000_000);
        jdbc.update("INSERT INTO marketplace_listing (connection_id, sku_id, status, active, price, stock, updated_at)"
                + " VALUES ('shop', ?, 'LISTED', TRUE, 11490, 7, CURRENT_TIMESTAMP)", listed);
        Run listings = cli("offers", "list", "--connection", "shop", "--sku", listed);
        assertThat(listings.exit()).as(listings.err()).isZero();
        assertThat(listings.out()).contains(listed, "listed", "11490");
        assertThat(cli("offers", "list", "--connection", "shop", "--status", "listed", "--json").json()
                .path("counts").path("listed").asInt()).isGreaterThanOrEqualTo(1);

        SellerClient outletMarketplace = new SellerClient(engineUrl(""), "vtexappkey-outlet-endpoint",
                "TEST-OUTLET-ENDPOINT-TOKEN-never-stored");
        OrderDriver.Placed placed = new OrderDriver(outletMarketplace, projection, links, "/seller/outlet/pvt")
                .placeAndFulfil(remote.baseUrl() + "/api/oms");
        Run outlet = cli("orders", "list", "--id", placed.orderId(), "--connection", "outlet", "--json");
        assertThat(outlet.exit()).as(outlet.err()).isZero();
        assertThat(outlet.json().get("items").findValuesAsText("connection")).containsExactly("outlet");
        assertThat(cli("orders", "list", "--id", placed.orderId(), "--connection", "default", "--json").json()
                .get("total").asLong()).isZero();
        Run table = cli("orders", "list", "--connection", "outlet", "--since", "1h", "--size", "200");
        assertThat(table.exit()).as(table.err()).isZero();
        assertThat(table.out()).contains("CONNECTION", placed.orderId(), placed.marketplaceOrderId(), "in all");
        Run shown = cli("orders", "show", placed.marketplaceOrderId(), "--connection", "outlet");
        assertThat(shown.exit()).as(shown.err()).isZero();
        assertThat(shown.json().get("orderId").asText()).isEqualTo(placed.orderId());
        assertThat(cli("orders", "show", placed.marketplaceOrderId(), "--connection", "default").exit())
                .as("not that connection's order").isEqualTo(OpsCli.Exit.NOT_FOUND);
    }

    @Test
    void connectionsDashboardAndReplayJobsPerConnection() throws Exception {
        Run connections = cli("connections", "list");
        assertThat(connections.exit()).as(connections.err()).isZero();
        assertThat(connections.out()).contains("ID", "FAILEDMESSAGES", "LASTFAILEDCALL", "default", "outlet", "/seller/outlet/pvt");
        assertThat(cli("connections", "list", "--json").json().get("items").findValuesAsText("id"))
                .contains("default", "outlet", "retired");

        Run dashboard = cli("dashboard", "--connection", "outlet");
        assertThat(dashboard.exit()).as(dashboard.err()).isZero();
        assertThat(dashboard.out()).contains("connection outlet", "health: db UP", "FLOW", "open orders:");
        assertThat(cli("status", "--json").json().get("connection").isNull()).as("engine-wide").isTrue();
        Run unknown = cli("dashboard", "--connection", "nope");
        assertThat(unknown.exit()).isEqualTo(OpsCli.Exit.NOT_FOUND);
        assertThat(unknown.err()).contains("no connection nope");

        String batch = failures(2);
        Run bulk = cli("replay", "--error", batch, "--connection", "default", "--poll", "100");
        assertThat(bulk.exit()).as(bulk.err()).isZero();
        long job = Long.parseLong(bulk.out().replaceAll("(?s)^replay job (\\d+):.*", "$1"));
        Run jobs = cli("replay-jobs", "list", "--connection", "default", "--json");
        assertThat(jobs.exit()).as(jobs.err()).isZero();
        assertThat(jobs.json().findValuesAsText("id")).contains(String.valueOf(job));
        assertThat(cli("replay-jobs", "list", "--connection", "outlet", "--json").json().findValuesAsText("id"))
                .doesNotContain(String.valueOf(job));
        assertThat(cli("replay-jobs", "list").out()).contains("FILTER", "connection=default");
        assertThat(cli("replay-jobs", "show", String.valueOf(job)).json().get("status").asText()).isEqualTo("DONE");
        assertThat(cli("replay-jobs", "cancel", String.valueOf(job)).exit()).as("done already").isEqualTo(OpsCli.Exit.CONFLICT);

        Run audit = cli("audit", "--connection", "default", "--action", "BULK_REPLAY", "--since", "1h");
        assertThat(audit.exit()).as(audit.err()).isZero();
        assertThat(audit.out()).contains("replay-job " + job);
        assertThat(cli("audit", "--connection", "outlet", "--action", "BULK_REPLAY", "--since", "1h").out())
                .doesNotContain("replay-job " + job + ":");
    }
}
