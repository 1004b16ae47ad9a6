package dev.vtexbridge;

import java.util.Set;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The layering of the engine's packages: the two roles VTEX defines ({@code seller}: External Seller,
 * {@code marketplace}: External Marketplace) each over the shared capabilities (VTEX conventions, channels, errors,
 * mappings, ops, ERP adapters, the offer projection and the order links); neither role uses the other, and no shared
 * capability uses a role.
 * <p>
 * A few classes still break the second rule and are named in {@link #NOT_YET_LAYERED}, each with what it needs of a
 * role: the list may only shrink.
 */
class ArchitectureTest {

    private static final String SELLER = "dev.vtexbridge.seller..";
    private static final String MARKETPLACE = "dev.vtexbridge.marketplace..";
    private static final String[] SHARED = {
        "dev.vtexbridge.cli..", "dev.vtexbridge.cluster..", "dev.vtexbridge.config..", "dev.vtexbridge.connections..",
        "dev.vtexbridge.erp..", "dev.vtexbridge.errors..", "dev.vtexbridge.logistics..", "dev.vtexbridge.mapping..",
        "dev.vtexbridge.metrics..", "dev.vtexbridge.model..", "dev.vtexbridge.ops..", "dev.vtexbridge.orders..",
        "dev.vtexbridge.sync..", "dev.vtexbridge.vtex..", "dev.vtexbridge.web.."};

    /**
     * Shared classes that still use a role: the ops controllers that answer for both roles read the marketplace's
     * listings ({@code ListingOps}) or the seller's endpoint settings, the connections are built with the seller's
     * credentials, and the seller's order placement still lives with the order links.
     */
    private static final Set<String> NOT_YET_LAYERED = Set.of(
            "dev.vtexbridge.connections.ConnectionOpsController",
            "dev.vtexbridge.connections.ConnectionsConfiguration",
            "dev.vtexbridge.mapping.MappingOpsController",
            "dev.vtexbridge.orders.SellerOrders",
            "dev.vtexbridge.sync.OfferOpsController");

    private static final JavaClasses ENGINE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.vtexbridge");

    @Test
    void theSellerRoleDoesNotUseTheMarketplaceRole() {
        noClasses().that().resideInAPackage(SELLER)
                .should().dependOnClassesThat().resideInAPackage(MARKETPLACE)
                .check(ENGINE);
    }

    @Test
    void theMarketplaceRoleDoesNotUseTheSellerRole() {
        noClasses().that().resideInAPackage(MARKETPLACE)
                .should().dependOnClassesThat().resideInAPackage(SELLER)
                .check(ENGINE);
    }

    @Test
    void noSharedCapabilityUsesARole() {
        noClasses().that().resideInAnyPackage(SHARED).and(notYetLayered().negate())
                .should().dependOnClassesThat().resideInAnyPackage(SELLER, MARKETPLACE)
                .because("what both roles use stays shared and knows neither role")
                .check(ENGINE);
    }

    private static DescribedPredicate<JavaClass> notYetLayered() {
        // nested and anonymous classes belong to their top-level class
        return DescribedPredicate.describe("not yet layered",
                type -> NOT_YET_LAYERED.contains(type.getName().replaceAll("\\$.*", "")));
    }
}
