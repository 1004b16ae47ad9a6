package dev.vtexbridge.config;

import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.EventNotifier;
import org.apache.camel.support.EventNotifierSupport;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The engine's schedules on one Quartz cluster: the {@code quartz} Camel component runs on the scheduler Spring Boot
 * builds from {@code spring.quartz.*} (application.yaml): the JDBC job store on the engine's database (tables of
 * migration V93), clustered. Every engine instance on that database is a node; each tick of a {@code quartz:} trigger
 * fires on exactly one of them, a {@code stateful=true} job never runs on two at once, and the triggers and running
 * jobs of a node that stops checking in go to the others.
 * <p>
 * The scheduler is started by Camel once the routes are up ({@code spring.quartz.auto-startup: false}), so no tick
 * reaches an instance before its routes can take it. When Camel starts stopping, the scheduler goes to standby at
 * once: from then on this instance takes no tick (the others do) while its routes shut down; in cluster mode the
 * Quartz component leaves the triggers in the database when its routes stop.
 */
@Configuration(proxyBeanMethods = false)
public class ClusterSchedulerConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ClusterSchedulerConfiguration.class);

    @Bean("quartz")
    QuartzComponent quartzComponent(Scheduler scheduler) {
        QuartzComponent quartz = new QuartzComponent();
        quartz.setScheduler(scheduler);
        return quartz;
    }

    /** Takes this instance out of the cluster's firing as soon as Camel begins to stop. */
    @Bean
    EventNotifier quartzStandbyOnStop(Scheduler scheduler) {
        EventNotifierSupport notifier = new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                try {
                    if (scheduler.isStarted() && !scheduler.isShutdown()) {
                        scheduler.standby();
                    }
                } catch (SchedulerException e) {
                    log.warn("Quartz scheduler could not go to standby: {}", e.getMessage());
                }
            }

            @Override
            public boolean isEnabled(CamelEvent event) {
                return event instanceof CamelEvent.CamelContextStoppingEvent;
            }
        };
        notifier.setIgnoreExchangeEvents(true);
        return notifier;
    }
}
