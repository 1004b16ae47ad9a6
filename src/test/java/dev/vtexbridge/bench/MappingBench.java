package dev.vtexbridge.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.vtexbridge.mapping.AttributeMappingProcessor;
import dev.vtexbridge.mapping.BrandMappingProcessor;
import dev.vtexbridge.mapping.CategoryMappingProcessor;
import dev.vtexbridge.mapping.ImageMappingProcessor;
import dev.vtexbridge.mapping.MappingContext;
import dev.vtexbridge.mapping.MappingRegistry;
import dev.vtexbridge.mapping.OfferMapping;
import dev.vtexbridge.mapping.OfferTemplateProcessor;
import dev.vtexbridge.mapping.PriceRulesProcessor;
import dev.vtexbridge.mapping.StockRulesProcessor;
import dev.vtexbridge.model.ErpProduct;
import dev.vtexbridge.model.Offer;
import dev.vtexbridge.model.Price;
import dev.vtexbridge.model.StockLevel;
import org.springframework.core.io.DefaultResourceLoader;

/**
 * Benchmark (a), {@code bench/mapping.sh}: 100,000 ERP SKUs through the catalog flow's mapping chain versus a raw
 * Jackson read + write of the same records, in one JVM (run with {@code -Xmx256m}).
 * <ol>
 *   <li>Generates an ERP export of N SKUs as JSON lines of the canonical {@link ErpProduct} (what {@code ErpCatalog}
 *       produces: offer with category, brand, attributes, images; price; stock per warehouse), written record by record.</li>
 *   <li>Builds the mappings folder: the repository's {@code mappings/} files, with categories.yaml and brands.yaml
 *       extended by the generated categories and brands.</li>
 *   <li>Raw pass: stream-read each {@link ErpProduct} with Jackson and write it back as JSON lines.
 *       Mapping pass: stream-read the same records, run {@link OfferMapping#map} (the real {@link MappingRegistry},
 *       the category, brand, attribute, image, price-rule, stock-rule processors and the JSLT offer template) and
 *       write each suggestion body as a JSON line. Both hold one record at a time.</li>
 *   <li>One warm-up round, then measured rounds alternating raw and mapping; the median of each is reported, with the
 *       peak heap over the measured rounds.</li>
 * </ol>
 * Arguments: {@code --skus=100000 --rounds=3 --work=target/bench/mapping --mappings=mappings --results=bench/RESULTS.md};
 * {@code --no-record} prints the entry without appending it.
 */
public final class MappingBench {

    static final int GENERATED_CATEGORIES = 180;
    static final int GENERATED_BRANDS = 72;
    static final String[] COLORS = {"Azul", "Preto", "Branco", "Verde", "Vermelho", "Cinza"};
    static final String[] SIZES = {"PP", "P", "M", "G", "GG", "XG"};
    static final String[] MATERIALS = {"Algodão", "Poliéster", "Couro", "Aço inox", "Madeira", "Vidro", "Linho"};
    static final String[] WORDS = {"Classic", "Urban", "Premium", "Everyday", "Outdoor", "Slim", "Comfort", "Pro",
            "Essential", "Vintage", "Sport", "Eco", "Deluxe", "Compact", "Travel"};

    private MappingBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        int skus = Integer.parseInt(options.getOrDefault("skus", "100000"));
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "5"));
        Path work = Path.of(options.getOrDefault("work", "target/bench/mapping"));
        Path repoMappings = Path.of(options.getOrDefault("mappings", "mappings"));
        Path results = Path.of(options.getOrDefault("results", "bench/RESULTS.md"));
        Files.createDirectories(work);

        ObjectMapper json = JsonMapper.builder().addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();
        Path mappingsDir = mappingsFolder(repoMappings, work.resolve("mappings"));
        Path export = work.resolve("erp-skus.ndjson");
        long t0 = System.nanoTime();
        long exportBytes = generate(json, export, skus);
        System.out.printf("Generated %,d ERP SKUs (%s) in %.1f s%n", skus, HeapWatch.mb(exportBytes), (System.nanoTime() - t0) / 1e9);

        MappingRegistry registry = new MappingRegistry(new DefaultResourceLoader(),
                mappingsDir.toAbsolutePath().toUri().toString(), Clock.systemUTC());
        if (registry.status().stream().anyMatch(s -> s.error() != null)) {
            throw new IllegalStateException("mapping files do not load: " + registry.status());
        }
        OfferMapping mapping = new OfferMapping(registry, "bridgeseller", "1", new CategoryMappingProcessor(),
                new BrandMappingProcessor(), new AttributeMappingProcessor(), new ImageMappingProcessor(),
                new PriceRulesProcessor(), new StockRulesProcessor(), new OfferTemplateProcessor(), null); // no flow step: no connections

        System.out.println("Warm-up round ...");
        raw(json, export, work.resolve("raw-out.ndjson"));
        mapped(json, mapping, export, work.resolve("suggestions.ndjson"));
        System.gc();

        List<Pass> rawPasses = new ArrayList<>();
        List<Pass> mappingPasses = new ArrayList<>();
        long sampledPeak;
        long gcs;
        long gcMillis;
        try (HeapWatch heap = new HeapWatch()) {
            for (int round = 1; round <= rounds; round++) {
                Pass r = raw(json, export, work.resolve("raw-out.ndjson"));
                Pass m = mapped(json, mapping, export, work.resolve("suggestions.ndjson"));
                rawPasses.add(r);
                mappingPasses.add(m);
                System.out.printf("Round %d: raw %,.0f SKUs/s, mapping %,.0f SKUs/s (%d blocked by an unmapped category)%n",
                        round, r.rate(), m.rate(), m.blocked());
            }
            sampledPeak = heap.sampledPeakBytes();
            gcs = heap.collections();
            gcMillis = heap.collectionMillis();
        }
        long poolPeaks = HeapWatch.poolPeaksBytes();
        Pass raw = median(rawPasses);
        Pass map = median(mappingPasses);
        double ratio = map.rate() / raw.rate();

        BenchReport report = new BenchReport("(a) mapping " + String.format("%,d", skus) + " ERP SKUs vs raw Jackson",
                "bench/mapping.sh" + (options.containsKey("skus") ? " --skus=" + skus : ""));
        report.target("mapping ≥ 20,000 SKUs/s", map.rate() >= 20_000, String.format("%,.0f SKUs/s", map.rate()));
        report.target("mapping ≥ 30 % of raw Jackson read+write", ratio >= 0.30,
                String.format("%.1f %% (raw %,.0f SKUs/s)", ratio * 100, raw.rate()));
        long maxHeap = Runtime.getRuntime().maxMemory();
        report.target("peak heap ≤ 256 MB", Math.max(sampledPeak, poolPeaks) <= 256L * 1024 * 1024 && maxHeap <= 256L * 1024 * 1024,
                "sampled peak " + HeapWatch.mb(sampledPeak) + ", sum of pool peaks " + HeapWatch.mb(poolPeaks)
                        + ", JVM max heap " + HeapWatch.mb(maxHeap));
        report.line(String.format("Input: %,d SKUs as JSON lines of ErpProduct, %s (%,d bytes/SKU on average), %d categories, "
                + "%d brands, 1-4 SKUs per product, 1-6 images, 3-5 attributes, 3 warehouses; 0.5 %% of SKUs in an unmapped category.",
                skus, HeapWatch.mb(exportBytes), exportBytes / skus, 20 + GENERATED_CATEGORIES, 8 + GENERATED_BRANDS));
        report.line(String.format("Median of %d rounds after one warm-up round (each round: raw pass, then mapping pass):", rounds));
        report.line(String.format("  raw Jackson read+write   %,10.0f SKUs/s  (%.2f s, %s written)", raw.rate(), raw.seconds(), HeapWatch.mb(raw.bytesOut())));
        report.line(String.format("  mapping chain            %,10.0f SKUs/s  (%.2f s, %s of suggestions, %,d SKUs blocked)",
                map.rate(), map.seconds(), HeapWatch.mb(map.bytesOut()), map.blocked()));
        report.line("  every round: raw " + rawPasses.stream().map(p -> String.format("%,.0f", p.rate())).toList()
                + ", mapping " + mappingPasses.stream().map(p -> String.format("%,.0f", p.rate())).toList() + " SKUs/s");
        report.line(String.format("Heap over the measured rounds: %d collections, %d ms in GC; largest heap left after a "
                + "collection (whole run, from -Xlog:gc): %s — the live set stays small because the export streams.",
                gcs, gcMillis, maxAfterGc(work.resolve("gc.log"))));
        if (!options.containsKey("no-record")) {
            report.appendTo(results);
        }
        System.exit(report.allPassed() ? 0 : 1);
    }

    /** The largest "after" of the "before->after(size)" figures in a -Xlog:gc file. */
    static String maxAfterGc(Path gcLog) {
        try {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)")
                    .matcher(Files.readString(gcLog));
            int max = -1;
            while (m.find()) {
                max = Math.max(max, Integer.parseInt(m.group(2)));
            }
            return max < 0 ? "not found" : max + " MB";
        } catch (IOException e) {
            return "no gc log";
        }
    }

    record Pass(int records, long nanos, long bytesOut, int blocked) {
        double seconds() {
            return nanos / 1e9;
        }

        double rate() {
            return records / seconds();
        }
    }

    /** Raw baseline: Jackson reads each ErpProduct and writes it back, one record at a time. */
    static Pass raw(ObjectMapper json, Path input, Path output) throws IOException {
        long start = System.nanoTime();
        int n = 0;
        ObjectReader reader = json.readerFor(ErpProduct.class);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(input), 1 << 16);
             MappingIterator<ErpProduct> records = reader.readValues(in);
             CountingOutput out = new CountingOutput(Files.newOutputStream(output));
             JsonGenerator generator = json.getFactory().createGenerator(out)) {
            generator.setRootValueSeparator(new SerializedString("\n"));
            while (records.hasNext()) {
                json.writeValue(generator, records.next());
                n++;
            }
            generator.flush();
            return new Pass(n, System.nanoTime() - start, out.count, 0);
        }
    }

    /** The mapping chain: Jackson reads each ErpProduct, the chain maps it, Jackson writes the suggestion body. */
    static Pass mapped(ObjectMapper json, OfferMapping mapping, Path input, Path output) throws IOException {
        long start = System.nanoTime();
        int n = 0;
        int blocked = 0;
        ObjectReader reader = json.readerFor(ErpProduct.class);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(input), 1 << 16);
             MappingIterator<ErpProduct> records = reader.readValues(in);
             CountingOutput out = new CountingOutput(Files.newOutputStream(output));
             JsonGenerator generator = json.getFactory().createGenerator(out)) {
            generator.setRootValueSeparator(new SerializedString("\n"));
            while (records.hasNext()) {
                MappingContext context = mapping.map(records.next());
                if (context.failed()) {
                    blocked++;
                } else {
                    json.writeTree(generator, context.suggestion());
                }
                n++;
            }
            generator.flush();
            return new Pass(n, System.nanoTime() - start, out.count, blocked);
        }
    }

    static Pass median(List<Pass> passes) {
        List<Pass> sorted = new ArrayList<>(passes);
        sorted.sort((a, b) -> Double.compare(a.rate(), b.rate()));
        return sorted.get(sorted.size() / 2);
    }

    /** Writes the ERP export, one SKU at a time (never the whole catalog in memory). */
    static long generate(ObjectMapper json, Path export, int skus) throws IOException {
        Random random = new Random(42);
        OffsetDateTime base = OffsetDateTime.of(2026, 5, 1, 8, 0, 0, 0, ZoneOffset.UTC);
        try (CountingOutput out = new CountingOutput(Files.newOutputStream(export));
             JsonGenerator generator = json.getFactory().createGenerator(out)) {
            generator.setRootValueSeparator(new SerializedString("\n"));
            int sku = 0;
            int product = 0;
            while (sku < skus) {
                product++;
                String productId = String.format("BP%06d", product);
                String category = random.nextInt(200) == 0 ? "X" + random.nextInt(10) // 0.5 %: not in categories.yaml
                        : categoryId(random.nextInt(20 + GENERATED_CATEGORIES));
                String brand = brandId(random.nextInt(8 + GENERATED_BRANDS));
                String name = WORDS[random.nextInt(WORDS.length)] + " " + WORDS[random.nextInt(WORDS.length)] + " "
                        + category.toLowerCase() + " " + product;
                String description = name + ": " + String.join(" ", Arrays.copyOf(WORDS, 5 + random.nextInt(10)))
                        + ". Garantia de 12 meses, nota fiscal, envio em até 2 dias úteis.";
                Map<String, String> productAttributes = new LinkedHashMap<>();
                productAttributes.put("material", MATERIALS[random.nextInt(MATERIALS.length)]);
                productAttributes.put("origin", random.nextBoolean() ? "Nacional" : "Importado"); // not mapped: ignored
                int variants = 1 + random.nextInt(4);
                for (int v = 1; v <= variants && sku < skus; v++, sku++) {
                    String skuId = productId + "-" + v;
                    Map<String, String> skuAttributes = new LinkedHashMap<>();
                    skuAttributes.put("color", COLORS[random.nextInt(COLORS.length)]);
                    skuAttributes.put("size", SIZES[random.nextInt(SIZES.length)]);
                    if (random.nextInt(3) == 0) {
                        skuAttributes.put("internal_code", "IC" + random.nextInt(100000)); // not mapped: ignored
                    }
                    List<Offer.Image> images = new ArrayList<>();
                    int imageCount = 1 + random.nextInt(6);
                    for (int i = 1; i <= imageCount; i++) {
                        images.add(new Offer.Image(i == 1 ? "main" : (random.nextBoolean() ? "" : "detail-" + i),
                                random.nextInt(10) == 0 ? "http://legacy-cdn.seller.example/" + skuId + "/" + i + ".jpg"
                                        : "products/" + productId + "/" + skuId + "-" + i + ".jpg"));
                    }
                    OffsetDateTime updated = base.plusSeconds(random.nextInt(86_400 * 30));
                    Offer offer = new Offer(skuId, productId, name, description, name + " " + skuAttributes.get("color")
                            + " " + skuAttributes.get("size"), category, "Category " + category, brand, "Brand " + brand,
                            String.format("789%010d", sku), "REF-" + skuId, 100 + random.nextInt(5000),
                            BigDecimal.valueOf(1 + random.nextInt(600), 1), BigDecimal.valueOf(1 + random.nextInt(600), 1),
                            BigDecimal.valueOf(1 + random.nextInt(600), 1), "un", 1, random.nextInt(50) != 0,
                            images, productAttributes, skuAttributes, updated);
                    long cents = 990 + random.nextInt(99_000);
                    Price price = new Price(skuId, "default", cents, random.nextBoolean() ? cents + random.nextInt(5000) : null,
                            "BRL", updated);
                    Map<String, Integer> stock = new LinkedHashMap<>();
                    stock.put("main", random.nextInt(200));
                    stock.put("north", random.nextInt(50));
                    stock.put("outlet", random.nextInt(20));
                    json.writeValue(generator, new ErpProduct(offer, price, new StockLevel(skuId, stock, updated)));
                }
            }
            generator.flush();
            return out.count;
        }
    }

    static String categoryId(int i) {
        return i < 20 ? String.format("C%02d", i + 1) : String.format("G%03d", i - 19);
    }

    static String brandId(int i) {
        return i < 8 ? String.format("B%02d", i + 1) : String.format("GB%03d", i - 7);
    }

    /** The repository's mapping files, with the generated categories and brands appended. */
    static Path mappingsFolder(Path repoMappings, Path target) throws IOException {
        Files.createDirectories(target);
        try (Stream<Path> files = Files.list(repoMappings)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.copy(file, target.resolve(file.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        StringBuilder categories = new StringBuilder("\n# generated for the benchmark\n");
        String[] departments = {"Apparel", "Footwear", "Accessories", "Electronics", "Home", "Kitchen", "Garden", "Toys", "Sports"};
        for (int i = 1; i <= GENERATED_CATEGORIES; i++) {
            categories.append(String.format("  G%03d: {vtexId: %d, path: \"%s/Generated %03d\"}%n", i, 1000 + i,
                    departments[i % departments.length], i));
        }
        append(target.resolve(MappingRegistry.CATEGORIES), categories.toString());
        StringBuilder brands = new StringBuilder("\n# generated for the benchmark\n");
        for (int i = 1; i <= GENERATED_BRANDS; i++) {
            brands.append(String.format("  GB%03d: Generated Brand %03d%n", i, i));
        }
        append(target.resolve(MappingRegistry.BRANDS), brands.toString());
        return target;
    }

    private static void append(Path file, String text) throws IOException {
        String content = Files.readString(file, StandardCharsets.UTF_8);
        Files.writeString(file, (content.endsWith("\n") ? content : content + "\n") + text, StandardCharsets.UTF_8);
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (String arg : args) {
            if (arg.startsWith("--") && arg.contains("=")) {
                options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
            } else if (arg.startsWith("--") && arg.length() > 2) {
                options.put(arg.substring(2), "true");   // a flag such as --no-record
            } else {
                throw new IllegalArgumentException("unknown argument " + arg + " (expected --name=value or --flag)");
            }
        }
        return options;
    }

    /** An output stream that counts the bytes written through it (buffered). */
    static final class CountingOutput extends OutputStream {
        private final OutputStream out;
        long count;

        CountingOutput(OutputStream target) {
            this.out = new BufferedOutputStream(target, 1 << 16);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
