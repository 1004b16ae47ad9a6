package dev.vtexbridge.ops;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vtexbridge.testkit.EngineTest;
import dev.vtexbridge.testkit.OpsClient;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.util.FileSystemUtils;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The ops console in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}) against the running
 * engine: an operator logs in with the token, finds a failed message by its error text, opens it, replays it once the
 * remote system is fixed and sees it REPLAYED; finds the audit entry of that replay; sees the error reason of an offer
 * the marketplace refused; picks a connection in the header and sees only its rows and figures, also after a reload.
 * A screenshot of the dashboard is saved to target/console/dashboard.png.
 */
class OpsConsoleBrowserTest extends EngineTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOT = Path.of("target", "console", "dashboard.png");
    private static final String SKU = "P0077-1";

    @Autowired
    ProducerTemplate producer;

    private WebDriver browser;
    private WebDriverWait wait;
    private Path profile;

    @BeforeEach
    void startBrowser() throws IOException {
        assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
                .as("the console test drives Debian's Chromium: install it with "
                        + "'apt-get install -y chromium chromium-driver' (.ci/run does when %s or %s is missing)", CHROMIUM, CHROMEDRIVER)
                .isTrue();
        // The driver is given, so Selenium never looks for (or downloads) one; the profile is fresh for every run.
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        profile = Files.createTempDirectory(Files.createDirectories(Path.of("target", "console")), "chromium-profile-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile.toAbsolutePath(), "--window-size=1400,1000");
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    }

    @AfterEach
    void stopBrowser() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (profile != null) {
            FileSystemUtils.deleteRecursively(profile);
        }
    }

    @Test
    void anOperatorReplaysAFailedMessageAndSeesWhyAnOfferIsInError() throws Exception {
        OpsClient ops = new OpsClient(engineUrl(""), OPS_TOKEN);
        String batch = "console-" + UUID.randomUUID().toString().substring(0, 8);
        long failedId = failedDelivery(ops, batch);
        String reason = offerRefusedByTheMarketplace(ops);

        // Log in: a wrong token is refused, the ops token opens the dashboard.
        browser.get(engineUrl("/ops"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-token"))).sendKeys("not-the-token");
        browser.findElement(By.id("login-submit")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("login-message"), "refused"));
        WebElement tokenField = browser.findElement(By.id("login-token"));
        tokenField.clear();
        tokenField.sendKeys(OPS_TOKEN);
        browser.findElement(By.id("login-submit")).click();

        // The dashboard shows the engine's figures: every flow it reports, the database's health, the failed count.
        wait.until(d -> "ready".equals(d.findElement(By.id("dashboard")).getDomAttribute("data-state")));
        JsonNode dashboard = ops.get("/ops/api/dashboard").json();
        for (JsonNode flow : dashboard.path("flows")) {
            assertThat(browser.findElements(By.cssSelector("#dashboard-flows tr[data-flow='" + flow.path("flow").asText() + "']")))
                    .hasSize(1);
        }
        assertThat(browser.findElement(By.cssSelector("[data-test=health-db]")).getText())
                .contains(dashboard.path("health").path("db").asText());
        assertThat(Long.parseLong(browser.findElement(By.cssSelector("[data-test=kpi-failed] a")).getText().replace(",", "")))
                .isGreaterThanOrEqualTo(1);
        Files.createDirectories(SCREENSHOT.getParent());
        Files.write(SCREENSHOT, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));

        // Failed messages: filter by the error text, a single row, sorted by the server on a header click.
        browser.findElement(By.cssSelector("#nav a[data-view=failed]")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("failed-filter-error"))).sendKeys(batch);
        browser.findElement(By.id("failed-filter-apply")).click();
        wait.until(d -> d.getCurrentUrl().contains("error=" + batch) && tableReady(d, "failed-table")
                && d.findElements(By.cssSelector("#failed-table tr[data-test=failed-row]")).size() == 1);
        assertThat(browser.findElement(By.cssSelector("#failed-table tr[data-test=failed-row]")).getDomAttribute("data-id"))
                .isEqualTo(String.valueOf(failedId));
        browser.findElement(By.cssSelector("#failed-table button[data-sort=attempts]")).click();
        wait.until(d -> d.getCurrentUrl().contains("sort=attempts%2Cdesc") && tableReady(d, "failed-table")
                && !d.findElements(By.cssSelector("#failed-table th[aria-sort=descending] [data-sort=attempts]")).isEmpty());
        assertThat(browser.findElement(By.id("failed-table")).getText()).contains(batch);

        // Open it: payload, headers, error and history.
        browser.findElement(By.cssSelector("#failed-table tr[data-id='" + failedId + "']")).click();
        wait.until(d -> "ready".equals(d.findElement(By.id("failed-detail")).getDomAttribute("data-state")));
        assertThat(browser.findElement(By.id("failed-detail-status")).getText()).isEqualTo("FAILED");
        assertThat(browser.findElement(By.id("failed-detail-body")).getText()).contains("\"batch\": \"" + batch + "\"");
        assertThat(browser.findElement(By.id("failed-detail-headers")).getText()).contains("messageId").contains(batch);
        assertThat(browser.findElement(By.id("failed-detail-error")).getText())
                .contains("HTTP 400").contains("/deliver/" + batch).contains("no such customer");
        assertThat(browser.findElement(By.id("failed-detail-history")).getText()).contains("FAILED").contains("engine");

        // The remote system is fixed; replay from the console.
        remote.stubFor(post(urlEqualTo("/deliver/" + batch)).willReturn(aResponse().withStatus(200)));
        browser.findElement(By.id("failed-replay")).click();
        wait.until(ExpectedConditions.textToBe(By.id("failed-detail-status"), "REPLAYED"));
        assertThat(browser.findElement(By.id("failed-action-message")).getText()).contains("Replayed");
        assertThat(browser.findElement(By.id("failed-detail-history")).getText()).contains("REPLAY").contains("ops");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> remote.findAll(postRequestedFor(urlEqualTo("/deliver/" + batch))).size() == 2);
        assertThat(ops.get("/ops/api/failed/" + failedId).json().path("status").asText()).isEqualTo("REPLAYED");

        // The replay is in the audit trail, under the token's name.
        browser.findElement(By.cssSelector("#nav a[data-view=audit]")).click();
        wait.until(d -> d.getCurrentUrl().contains("#/audit") && tableReady(d, "audit-table"));
        assertThat(browser.findElement(By.id("audit-table")).getText()).contains("failed-message " + failedId);

        // Offers: the SKU the marketplace refused shows its error reason.
        browser.findElement(By.cssSelector("#nav a[data-view=offers]")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("offer-filter-sku"))).sendKeys(SKU);
        browser.findElement(By.id("offer-filter-apply")).click();
        wait.until(d -> d.getCurrentUrl().contains("sku=" + SKU) && tableReady(d, "offer-table")
                && d.findElements(By.cssSelector("#offer-table tr[data-test=offer-row]")).size() == 1);
        WebElement offer = browser.findElement(By.cssSelector("#offer-table tr[data-sku='" + SKU + "']"));
        assertThat(offer.getDomAttribute("data-status")).isEqualTo("error");
        assertThat(offer.findElement(By.cssSelector("[data-test=offer-reason]")).getText()).isEqualTo(reason);
    }

    @Test
    void theConnectionPickerNarrowsEveryViewAndStaysInTheAddress() {
        OpsClient ops = new OpsClient(engineUrl(""), OPS_TOKEN);
        String batch = "picker-" + UUID.randomUUID().toString().substring(0, 8);
        remote.stubFor(post(urlMatching("/deliver/" + batch + "-.*"))
                .willReturn(aResponse().withStatus(400).withBody("{\"error\":\"no such customer\"}")));
        producer.sendBodyAndHeaders("jms:queue:test.remote-delivery", "{}", Map.of("messageId", batch + "-outlet",
                "BridgeConnection", "outlet"));
        producer.sendBodyAndHeader("jms:queue:test.remote-delivery", "{}", "messageId", batch + "-default");
        await().atMost(Duration.ofSeconds(15)).until(() -> ops.get("/ops/api/failed?error=" + batch).json().path("total").asLong() == 2);
        String outletId = ops.get("/ops/api/failed?connection=outlet&error=" + batch).json().path("items").get(0).path("id").asText();

        // Log in on the failed messages of the batch: both connections' rows.
        browser.get(engineUrl("/ops/#/failed?error=" + batch));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-token"))).sendKeys(OPS_TOKEN);
        browser.findElement(By.id("login-submit")).click();
        wait.until(d -> tableReady(d, "failed-table") && failedRows(d) == 2);
        wait.until(d -> !d.findElements(By.cssSelector("#connection-picker option[value=outlet]")).isEmpty());
        assertThat(new Select(browser.findElement(By.id("connection-picker"))).getOptions())
                .extracting(WebElement::getText).contains("All connections", "default", "outlet", "retired (disabled)");

        // Pick outlet: the address says so and the list holds outlet's row only, also after a reload.
        new Select(browser.findElement(By.id("connection-picker"))).selectByValue("outlet");
        wait.until(d -> d.getCurrentUrl().contains("connection=outlet") && d.getCurrentUrl().contains("error=" + batch)
                && tableReady(d, "failed-table") && failedRows(d) == 1);
        assertThat(browser.findElement(By.cssSelector("#failed-table tr[data-test=failed-row]")).getDomAttribute("data-id"))
                .isEqualTo(outletId);
        browser.navigate().refresh();
        wait.until(d -> tableReady(d, "failed-table") && failedRows(d) == 1);
        assertThat(new Select(browser.findElement(By.id("connection-picker"))).getFirstSelectedOption().getDomAttribute("value"))
                .isEqualTo("outlet");

        // Every view keeps it: the dashboard shows outlet's figures, the orders only outlet's.
        browser.findElement(By.cssSelector("#nav a[data-view=dashboard]")).click();
        wait.until(d -> d.getCurrentUrl().contains("#/dashboard?connection=outlet")
                && "ready".equals(d.findElement(By.id("dashboard")).getDomAttribute("data-state")));
        assertThat(browser.findElement(By.id("dashboard-connection")).getText()).contains("outlet");
        long outletFailed = ops.get("/ops/api/dashboard?connection=outlet").json().path("failedMessages").path("FAILED").asLong();
        assertThat(Long.parseLong(browser.findElement(By.cssSelector("[data-test=kpi-failed] a")).getText().replace(",", "")))
                .isEqualTo(outletFailed);
        browser.findElement(By.cssSelector("#nav a[data-view=orders]")).click();
        wait.until(d -> d.getCurrentUrl().contains("#/orders?connection=outlet") && tableReady(d, "order-table"));
        assertThat(browser.findElements(By.cssSelector("#order-table tr[data-test=order-row] td[data-col=connection]")))
                .allSatisfy(cell -> assertThat(cell.getText()).isEqualTo("outlet"));

        // The connections view lists them all, the picked one marked, with its failed messages.
        browser.findElement(By.cssSelector("#nav a[data-view=connections]")).click();
        wait.until(d -> "ready".equals(d.findElement(By.id("connections")).getDomAttribute("data-state")));
        assertThat(browser.findElements(By.cssSelector("#connection-table tr[data-test=connection-row]")))
                .extracting(row -> row.getDomAttribute("data-id")).containsExactly("default", "outlet", "retired", "shop", "shop-feed", "shop-noi", "shop-queue");
        WebElement outlet = browser.findElement(By.cssSelector("#connection-table tr[data-id=outlet]"));
        assertThat(outlet.getDomAttribute("class")).isEqualTo("active");
        assertThat(outlet.getText()).contains("/seller/outlet/pvt");

        // All connections again: the address drops it and both rows are back.
        new Select(browser.findElement(By.id("connection-picker"))).selectByValue("");
        wait.until(d -> d.getCurrentUrl().contains("#/connections") && !d.getCurrentUrl().contains("connection=outlet"));
        browser.get(engineUrl("/ops/#/failed?error=" + batch));
        wait.until(d -> tableReady(d, "failed-table") && failedRows(d) == 2);
        assertThat(browser.getCurrentUrl()).doesNotContain("connection=");
    }

    @Test
    void withAMarketplaceConnectionPickedTheOffersViewShowsItsListings() {
        String sku = "9" + (System.currentTimeMillis() % 100_000_000);
        jdbc.update("INSERT INTO marketplace_listing (connection_id, sku_id, product_id, status, reason, blocked_by, active,"
                + " price, list_price, stock, changed_at, updated_at) VALUES ('shop', ?, '2001426', 'ERROR',"
                + " 'category not mapped for the marketplace', 'category:77', NULL, 11490, 12000, 7, NULL, CURRENT_TIMESTAMP)", sku);

        browser.get(engineUrl("/ops/#/offers?connection=shop&sku=" + sku));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-token"))).sendKeys(OPS_TOKEN);
        browser.findElement(By.id("login-submit")).click();
        wait.until(d -> tableReady(d, "offer-table")
                && d.findElements(By.cssSelector("#offer-table tr[data-sku='" + sku + "']")).size() == 1);

        assertThat(browser.findElement(By.cssSelector("main h1, #view h1")).getText()).contains("Listings on").contains("shop");
        WebElement listing = browser.findElement(By.cssSelector("#offer-table tr[data-sku='" + sku + "']"));
        assertThat(listing.getDomAttribute("data-status")).isEqualTo("error");
        assertThat(listing.getText()).contains("category:77").contains("category not mapped").contains("114");
        wait.until(d -> !d.findElements(By.cssSelector("[data-test=reconcile-now]")).isEmpty());
    }

    private static int failedRows(WebDriver driver) {
        return driver.findElements(By.cssSelector("#failed-table tr[data-test=failed-row]")).size();
    }

    /** A message the remote system refuses (terminal 400): it lands in the failed-message store through the real flow. */
    private long failedDelivery(OpsClient ops, String batch) {
        remote.stubFor(post(urlEqualTo("/deliver/" + batch))
                .willReturn(aResponse().withStatus(400).withBody("{\"error\":\"no such customer\"}")));
        producer.sendBodyAndHeader("jms:queue:test.remote-delivery", "{\"batch\":\"" + batch + "\",\"customer\":42}",
                "messageId", batch);
        await().atMost(Duration.ofSeconds(15)).until(() -> ops.get("/ops/api/failed?error=" + batch).json().path("total").asLong() == 1);
        return ops.get("/ops/api/failed?error=" + batch).json().path("items").get(0).path("id").asLong();
    }

    /** The marketplace refuses the SKU's suggestion: the catalog flow marks the offer "error" with the marketplace's answer. */
    private String offerRefusedByTheMarketplace(OpsClient ops) throws IOException, InterruptedException {
        remote.stubFor(post(urlMatching("/vtex/api/sku-binding/pvt/skuseller/changenotification/.*/" + SKU))
                .willReturn(aResponse().withStatus(404).withBody("Seller StockKeepingUnit not found")));
        remote.stubFor(put(urlMatching("/vtex-suggestions/testmarketplace/suggestions/.*/" + SKU))
                .willReturn(aResponse().withStatus(400).withBody("CategoryFullPath is not a category of this marketplace")));
        HttpResponse<String> accepted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(engineUrl("/erp/events/catalog")))
                .header("Authorization", "Bearer test-erp-token").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"sku\":\"" + SKU + "\",\"updatedAt\":\""
                        + OffsetDateTime.now(ZoneOffset.UTC) + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(15)).until(() -> "error".equals(ops.get("/ops/api/offers/" + SKU).json().path("status").asText()));
        String reason = ops.get("/ops/api/offers/" + SKU).json().path("reason").asText();
        assertThat(reason).isEqualTo("marketplace answered HTTP 400: CategoryFullPath is not a category of this marketplace");
        return reason;
    }

    private static boolean tableReady(WebDriver driver, String id) {
        return "ready".equals(driver.findElement(By.id(id)).getDomAttribute("data-state"));
    }
}
