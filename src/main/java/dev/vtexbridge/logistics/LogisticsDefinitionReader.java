package dev.vtexbridge.logistics;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.springframework.core.io.Resource;

/**
 * Reads and checks {@code logistics.yaml}. Every problem found is reported at once, each with the path of the field
 * ({@code slas[1].freight.perKg}), in one {@link LogisticsDefinitionException} that names the file.
 */
final class LogisticsDefinitionReader {

    static final String DELIVERY = "delivery";
    static final String PICKUP = "pickup-in-point";
    private static final Pattern SHIPPING_ESTIMATE = Pattern.compile("\\d+(bd|d|h|m)");
    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{3}");

    // Typos must not pass silently, and cents are whole numbers: 9.9 is refused rather than cut to 9.
    private static final ObjectReader YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .build()
            .readerFor(LogisticsFile.class);

    private final String source;
    private final List<String> problems = new ArrayList<>();

    private LogisticsDefinitionReader(String source) {
        this.source = source;
    }

    static LogisticsDefinition read(Resource resource) {
        String source = resource.getDescription();
        LogisticsFile file;
        try (InputStream in = resource.getInputStream(); JsonParser parser = YAML.createParser(in)) {
            file = parser.nextToken() == null ? null : YAML.readValue(parser);
        } catch (UnrecognizedPropertyException e) {
            List<JsonMappingException.Reference> parent = e.getPath().subList(0, Math.max(0, e.getPath().size() - 1));
            throw invalid(source, at(parent) + "unknown field '" + e.getPropertyName() + "'" + line(e), e);
        } catch (JsonParseException e) {
            throw notYaml(source, e);
        } catch (JsonMappingException e) {
            // A syntax error met while binding arrives wrapped.
            if (e.getCause() instanceof JsonParseException syntax) {
                throw notYaml(source, syntax);
            }
            throw invalid(source, at(e.getPath()) + "wrong type or value" + line(e), e);
        } catch (IOException e) {
            throw invalid(source, "cannot be read: " + e.getMessage(), e);
        }
        if (file == null) {
            throw invalid(source, "the file is empty", null);
        }
        return new LogisticsDefinitionReader(source).check(file);
    }

    private LogisticsDefinition check(LogisticsFile file) {
        Set<String> shipsTo = new LinkedHashSet<>();
        if (file.shipsTo() == null) {
            problems.add("shipsTo: required (the ISO alpha-3 countries shipped to, e.g. [BRA])");
        } else {
            for (int i = 0; i < file.shipsTo().size(); i++) {
                shipsTo.add(country(file.shipsTo().get(i), "shipsTo[" + i + "]"));
            }
        }
        int defaultWeight = file.defaultItemWeightGrams() == null ? 0 : file.defaultItemWeightGrams();
        if (defaultWeight < 0) {
            problems.add("defaultItemWeightGrams: must not be negative");
        }
        List<ShippingRule> rules = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        Set<String> channels = new LinkedHashSet<>();
        List<LogisticsFile.Sla> slas = file.slas() == null ? List.of() : file.slas();
        for (int i = 0; i < slas.size(); i++) {
            String at = "slas[" + i + "]";
            if (slas.get(i) == null) {
                problems.add(at + ": empty entry");
                continue;
            }
            ShippingRule rule = sla(slas.get(i), at, shipsTo);
            if (rule.id() != null && !ids.add(rule.id())) {
                problems.add(at + ".id: '" + rule.id() + "' is used by another SLA");
            }
            channels.add(rule.deliveryChannel());
            rules.add(rule);
        }
        if (!problems.isEmpty()) {
            throw invalid(source, String.join("; ", problems), null);
        }
        return new LogisticsDefinition(List.copyOf(shipsTo), List.copyOf(channels), defaultWeight, rules);
    }

    private ShippingRule sla(LogisticsFile.Sla sla, String at, Set<String> shipsTo) {
        String id = required(sla.id(), at + ".id");
        String name = sla.name() == null || sla.name().isBlank() ? id : sla.name();
        String channel = sla.deliveryChannel();
        if (!DELIVERY.equals(channel) && !PICKUP.equals(channel)) {
            problems.add(at + ".deliveryChannel: must be '" + DELIVERY + "' or '" + PICKUP + "', not '" + channel + "'");
        }
        if (sla.shippingEstimate() == null || !SHIPPING_ESTIMATE.matcher(sla.shippingEstimate()).matches()) {
            problems.add(at + ".shippingEstimate: must be a whole number followed by bd, d, h or m (e.g. 5bd), not '"
                    + sla.shippingEstimate() + "'");
        }
        List<Destination> destinations = destinations(sla.destinations(), at + ".destinations", shipsTo);
        FreightRule freight = freight(sla.freight(), at + ".freight");
        PickupStoreInfo pickup = null;
        if (PICKUP.equals(channel)) {
            pickup = pickupPoint(sla.pickupPoint(), at + ".pickupPoint");
        } else if (sla.pickupPoint() != null) {
            problems.add(at + ".pickupPoint: only a '" + PICKUP + "' SLA has a pickup point");
        }
        return new ShippingRule(id, name, channel, sla.shippingEstimate(), destinations, freight, pickup);
    }

    private List<Destination> destinations(List<LogisticsFile.DestinationEntry> entries, String at, Set<String> shipsTo) {
        if (entries == null || entries.isEmpty()) {
            problems.add(at + ": required (at least one country or postal-code range)");
            return List.of();
        }
        List<Destination> destinations = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            String here = at + "[" + i + "]";
            LogisticsFile.DestinationEntry entry = entries.get(i);
            if (entry == null) {
                problems.add(here + ": empty entry");
                continue;
            }
            String country = country(entry.country(), here + ".country");
            if (country != null && !shipsTo.contains(country)) {
                problems.add(here + ".country: '" + country + "' is not listed in shipsTo");
            }
            String from = PostalCodes.normalize(entry.postalCodeFrom());
            String to = PostalCodes.normalize(entry.postalCodeTo());
            if ((from == null) != (to == null)) {
                problems.add(here + ": give both postalCodeFrom and postalCodeTo, or neither for the whole country");
            } else if (from != null && from.length() != to.length()) {
                problems.add(here + ": postalCodeFrom and postalCodeTo must have the same number of digits");
            } else if (from != null && from.compareTo(to) > 0) {
                problems.add(here + ": postalCodeFrom '" + entry.postalCodeFrom() + "' is after postalCodeTo '"
                        + entry.postalCodeTo() + "'");
            }
            destinations.add(new Destination(country, from, to));
        }
        return destinations;
    }

    private FreightRule freight(LogisticsFile.Freight freight, String at) {
        if (freight == null) {
            problems.add(at + ": required (perItem, perKg, freeFromLineValue in cents; {perItem: 0} for free)");
            return new FreightRule(0, 0, null);
        }
        long perItem = cents(freight.perItem(), at + ".perItem");
        long perKg = cents(freight.perKg(), at + ".perKg");
        Long freeFrom = freight.freeFromLineValue() == null ? null : cents(freight.freeFromLineValue(), at + ".freeFromLineValue");
        return new FreightRule(perItem, perKg, freeFrom);
    }

    private PickupStoreInfo pickupPoint(LogisticsFile.PickupPoint point, String at) {
        if (point == null) {
            problems.add(at + ": required for a '" + PICKUP + "' SLA");
            return null;
        }
        String friendlyName = required(point.friendlyName(), at + ".friendlyName");
        PickupStoreInfo.Address a = point.address();
        if (a == null) {
            problems.add(at + ".address: required");
            return null;
        }
        String here = at + ".address";
        if (a.addressType() != null && !"pickup".equals(a.addressType())) {
            problems.add(here + ".addressType: a pickup point's address type is 'pickup' (or leave it out)");
        }
        if (!a.geoCoordinates().isEmpty() && a.geoCoordinates().size() != 2) {
            problems.add(here + ".geoCoordinates: [longitude, latitude], or leave it out");
        }
        PickupStoreInfo.Address address = new PickupStoreInfo.Address("pickup", a.receiverName(),
                required(a.addressId(), here + ".addressId"), required(a.postalCode(), here + ".postalCode"),
                required(a.city(), here + ".city"), required(a.state(), here + ".state"),
                country(a.country(), here + ".country"), required(a.street(), here + ".street"),
                required(a.number(), here + ".number"), orEmpty(a.neighborhood()), orEmpty(a.complement()),
                a.reference(), a.geoCoordinates());
        return new PickupStoreInfo(true, friendlyName, address, orEmpty(point.additionalInfo()));
    }

    private String country(String value, String at) {
        String country = value == null ? null : value.trim().toUpperCase(Locale.ROOT);
        if (country == null || !COUNTRY.matcher(country).matches()) {
            problems.add(at + ": must be an ISO 3166 alpha-3 country code (e.g. BRA), not '" + value + "'");
        }
        return country;
    }

    private long cents(Long value, String at) {
        if (value != null && value < 0) {
            problems.add(at + ": must not be negative");
        }
        return value == null ? 0 : value;
    }

    private String required(String value, String at) {
        if (value == null || value.isBlank()) {
            problems.add(at + ": required");
        }
        return value;
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    private static LogisticsDefinitionException invalid(String source, String problem, Throwable cause) {
        return new LogisticsDefinitionException("Logistics definition " + source + " is invalid: " + problem, cause);
    }

    private static LogisticsDefinitionException notYaml(String source, JsonParseException e) {
        String problem = e.getOriginalMessage().replaceAll("\\s+", " ").trim();
        return invalid(source, "not valid YAML" + line(e) + ": " + problem, e);
    }

    /** {@code slas[1].freight: } from Jackson's reference path, or nothing at the top level. */
    private static String at(List<JsonMappingException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : references) {
            if (ref.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "" : path + ": ";
    }

    private static String line(com.fasterxml.jackson.core.JsonProcessingException e) {
        return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
    }
}
