package dev.vtexbridge.logistics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.vtexbridge.sync.OfferState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.io.DefaultResourceLoader;

import static org.assertj.core.api.Assertions.assertThat;

/** Matching destinations and pricing freight, on the shipped default definition and on small ones written here. */
class LogisticsTest {

    @TempDir
    Path dir;

    @Test
    void theDefaultDefinitionOffersExpressStandardAndPickupInRioDeJaneiro() {
        Logistics logistics = new Logistics(new DefaultResourceLoader(), "file:mappings/");

        List<SlaOption> options = logistics.optionsFor("BRA", "22270-030", offer(4990L, 1200), 2);

        assertThat(options).extracting(SlaOption::id).containsExactly("Express", "Standard", "pickup-botafogo");
        assertThat(options).extracting(SlaOption::shippingEstimate).containsExactly("2bd", "5bd", "1bd");
        // Express: 2 x 1500 + 2.4 kg x 300; Standard: 2 x 990 + 2.4 kg x 150; pickup is free.
        assertThat(options).extracting(SlaOption::price).containsExactly(3720L, 2340L, 0L);
        assertThat(options.get(0).pickupStoreInfo()).isNull();
        PickupStoreInfo pickup = options.get(2).pickupStoreInfo();
        assertThat(pickup.isPickupStore()).isTrue();
        assertThat(pickup.address().addressType()).isEqualTo("pickup");
        assertThat(pickup.address().geoCoordinates()).hasSize(2);
        assertThat(logistics.shipsTo()).containsExactly("BRA");
        assertThat(logistics.deliveryChannels()).containsExactly("delivery", "pickup-in-point");
    }

    @Test
    void theDefaultDefinitionOffersOnlyStandardOutsideRio() {
        Logistics logistics = new Logistics(new DefaultResourceLoader(), "file:mappings/");

        assertThat(logistics.optionsFor("BRA", "01310-100", offer(4990L, 1200), 1))
                .extracting(SlaOption::id).containsExactly("Standard");
    }

    @Test
    void nothingIsOfferedWithoutPostalCodeOrCountryOrWhereNothingShips() {
        Logistics logistics = new Logistics(new DefaultResourceLoader(), "file:mappings/");
        OfferState offer = offer(4990L, 100);

        assertThat(logistics.optionsFor("BRA", null, offer, 1)).isEmpty();
        assertThat(logistics.optionsFor("BRA", "  ", offer, 1)).isEmpty();
        assertThat(logistics.optionsFor("BRA", "-", offer, 1)).isEmpty();
        assertThat(logistics.optionsFor(null, "22270-030", offer, 1)).isEmpty();
        assertThat(logistics.optionsFor("ARG", "C1002", offer, 1)).isEmpty();
    }

    @Test
    void postalCodeRangesAreInclusiveIgnorePunctuationAndNeedTheSameNumberOfDigits() throws IOException {
        Logistics logistics = load("""
                shipsTo: [BRA, PRT]
                slas:
                  - id: rio
                    deliveryChannel: delivery
                    shippingEstimate: 1bd
                    destinations:
                      - {country: BRA, postalCodeFrom: "20000-000", postalCodeTo: "23799-999"}
                      - {country: prt, postalCodeFrom: "1000-001", postalCodeTo: "1999-999"}
                    freight: {perItem: 100}
                """);
        OfferState offer = offer(1000L, null);

        assertThat(logistics.optionsFor("BRA", "20000-000", offer, 1)).hasSize(1);
        assertThat(logistics.optionsFor("BRA", "23799999", offer, 1)).hasSize(1);
        assertThat(logistics.optionsFor("bra", " 21.000-500 ", offer, 1)).hasSize(1);
        assertThat(logistics.optionsFor("BRA", "19999-999", offer, 1)).isEmpty();
        assertThat(logistics.optionsFor("BRA", "23800-000", offer, 1)).isEmpty();
        assertThat(logistics.optionsFor("BRA", "2100", offer, 1)).as("fewer digits").isEmpty();
        assertThat(logistics.optionsFor("BRA", "210000000", offer, 1)).as("more digits").isEmpty();
        assertThat(logistics.optionsFor("PRT", "1250-096", offer, 1)).hasSize(1);
        assertThat(logistics.optionsFor("PRT", "22270-030", offer, 1)).isEmpty();
        assertThat(logistics.optionsFor("ESP", "1250-096", offer, 1)).as("other country").isEmpty();
    }

    @Test
    void freightIsPerUnitPlusPerKilogramRoundedUpAndFreeFromTheLineValue() throws IOException {
        Logistics logistics = load("""
                shipsTo: [BRA]
                defaultItemWeightGrams: 2000
                slas:
                  - id: std
                    name: Normal
                    deliveryChannel: delivery
                    shippingEstimate: 3bd
                    destinations: [{country: BRA}]
                    freight: {perItem: 500, perKg: 333, freeFromLineValue: 10000}
                """);

        SlaOption one = logistics.optionsFor("BRA", "01310-100", offer(1000L, 1001), 1).get(0);
        assertThat(one.price()).as("500 + 1.001 kg x 333 = 333.333 rounded up").isEqualTo(500 + 334);
        assertThat(one.name()).isEqualTo("Normal");
        assertThat(logistics.optionsFor("BRA", "01310-100", offer(1000L, 1001), 3).get(0).price())
                .as("3 x 500 + 3.003 kg x 333 = 999.999 rounded up").isEqualTo(1500 + 1000);
        assertThat(logistics.optionsFor("BRA", "01310-100", offer(1000L, null), 1).get(0).price())
                .as("no weight: the default 2 kg").isEqualTo(500 + 666);
        assertThat(logistics.optionsFor("BRA", "01310-100", offer(3333L, 0), 3).get(0).price())
                .as("line worth 9999").isEqualTo(1500);
        assertThat(logistics.optionsFor("BRA", "01310-100", offer(3334L, 0), 3).get(0).price())
                .as("line worth 10002").isZero();
    }

    @Test
    void theNameDefaultsToTheIdAndAnEmptyDefinitionShipsNowhere() throws IOException {
        Logistics logistics = load("""
                shipsTo: [BRA]
                slas:
                  - {id: only, deliveryChannel: delivery, shippingEstimate: 30m, destinations: [{country: BRA}], freight: {}}
                """);
        assertThat(logistics.optionsFor("BRA", "1", offer(1L, 1), 1)).singleElement()
                .satisfies(option -> assertThat(option.name()).isEqualTo("only"))
                .satisfies(option -> assertThat(option.price()).isZero());

        Logistics empty = load("shipsTo: []\n");
        assertThat(empty.optionsFor("BRA", "22270-030", offer(1L, 1), 1)).isEmpty();
        assertThat(empty.shipsTo()).isEmpty();
    }

    @Test
    void withoutAFileTheSellerShipsNowhere() {
        Logistics logistics = new Logistics(new DefaultResourceLoader(), "file:" + dir + "/");

        assertThat(logistics.optionsFor("BRA", "22270-030", offer(1L, 1), 1)).isEmpty();
        assertThat(logistics.shipsTo()).isEmpty();
    }

    private Logistics load(String yaml) throws IOException {
        Files.writeString(dir.resolve(Logistics.FILE_NAME), yaml);
        return new Logistics(new DefaultResourceLoader(), "file:" + dir + "/");
    }

    static OfferState offer(Long price, Integer weightGrams) {
        return new OfferState("SKU-1", price, price, null, true, "un", 1, weightGrams, null, null, null,
                Map.of("main", 10), 0);
    }
}
