package dev.vtexbridge.logistics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.io.DefaultResourceLoader;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A broken logistics.yaml is refused with a message that names the file and each wrong field. */
class LogisticsDefinitionTest {

    @TempDir
    Path dir;

    @Test
    void everyWrongFieldIsNamedAtOnce() {
        assertThatThrownBy(() -> load("""
                shipsTo: [BRA, brasil]
                slas:
                  - id: Standard
                    deliveryChannel: truck
                    shippingEstimate: 5 days
                    destinations: [{country: ARG}]
                    freight: {perItem: -1}
                  - id: Standard
                    deliveryChannel: delivery
                    shippingEstimate: 2bd
                    destinations:
                      - {country: BRA, postalCodeFrom: "29000-000", postalCodeTo: "20000-000"}
                      - {country: BRA, postalCodeFrom: "20000-000"}
                      - {country: BRA, postalCodeFrom: "2000", postalCodeTo: "20000-000"}
                    freight: {perItem: 100}
                  - id: pickup
                    deliveryChannel: pickup-in-point
                    shippingEstimate: 1bd
                    destinations: [{country: BRA}]
                """))
                .isInstanceOf(LogisticsDefinitionException.class)
                .hasMessageContaining(Logistics.FILE_NAME)
                .hasMessageContaining("shipsTo[1]: must be an ISO 3166 alpha-3 country code (e.g. BRA), not 'brasil'")
                .hasMessageContaining("slas[0].deliveryChannel: must be 'delivery' or 'pickup-in-point', not 'truck'")
                .hasMessageContaining("slas[0].shippingEstimate: must be a whole number followed by bd, d, h or m")
                .hasMessageContaining("slas[0].destinations[0].country: 'ARG' is not listed in shipsTo")
                .hasMessageContaining("slas[0].freight.perItem: must not be negative")
                .hasMessageContaining("slas[1].id: 'Standard' is used by another SLA")
                .hasMessageContaining("slas[1].destinations[0]: postalCodeFrom '29000-000' is after postalCodeTo")
                .hasMessageContaining("slas[1].destinations[1]: give both postalCodeFrom and postalCodeTo")
                .hasMessageContaining("slas[1].destinations[2]: postalCodeFrom and postalCodeTo must have the same")
                .hasMessageContaining("slas[2].freight: required")
                .hasMessageContaining("slas[2].pickupPoint: required for a 'pickup-in-point' SLA");
    }

    @Test
    void aPickupPointNeedsItsAddress() {
        assertThatThrownBy(() -> load("""
                shipsTo: [BRA]
                slas:
                  - id: pickup
                    deliveryChannel: pickup-in-point
                    shippingEstimate: 1bd
                    destinations: [{country: BRA}]
                    freight: {perItem: 0}
                    pickupPoint:
                      friendlyName: Store
                      address: {addressType: home, addressId: s1, postalCode: "22250-040", city: Rio, state: RJ,
                                country: BRA, street: Praia, geoCoordinates: [1.0]}
                """))
                .hasMessageContaining("slas[0].pickupPoint.address.addressType: a pickup point's address type is 'pickup'")
                .hasMessageContaining("slas[0].pickupPoint.address.number: required")
                .hasMessageContaining("slas[0].pickupPoint.address.geoCoordinates: [longitude, latitude]");
    }

    @Test
    void unknownFieldsAndWrongTypesNameTheFieldAndLine() {
        assertThatThrownBy(() -> load("""
                shipsTo: [BRA]
                slas:
                  - id: std
                    deliveryChannel: delivery
                    shippingEstimate: 1bd
                    destinations: [{country: BRA}]
                    freight: {perItem: 100, perKG: 5}
                """))
                .hasMessageContaining(Logistics.FILE_NAME)
                .hasMessageContaining("slas[0].freight: unknown field 'perKG' (line 7)");
        assertThatThrownBy(() -> load("""
                shipsTo: [BRA]
                slas:
                  - id: std
                    deliveryChannel: delivery
                    shippingEstimate: 1bd
                    destinations: [{country: BRA}]
                    freight: {perItem: 9.90}
                """))
                .hasMessageContaining("slas[0].freight.perItem: wrong type or value (line 7)");
    }

    @Test
    void brokenYamlAndEmptyFilesAreRefused() {
        assertThatThrownBy(() -> load("shipsTo: [BRA\nslas: [\n"))
                .hasMessageContaining(Logistics.FILE_NAME).hasMessageContaining("not valid YAML (line");
        assertThatThrownBy(() -> load("# nothing yet\n"))
                .hasMessageContaining(Logistics.FILE_NAME).hasMessageContaining("the file is empty");
        assertThatThrownBy(() -> load("slas: []\n")).hasMessageContaining("shipsTo: required");
    }

    private void load(String yaml) throws IOException {
        Files.writeString(dir.resolve(Logistics.FILE_NAME), yaml);
        new Logistics(new DefaultResourceLoader(), "file:" + dir + "/");
    }
}
