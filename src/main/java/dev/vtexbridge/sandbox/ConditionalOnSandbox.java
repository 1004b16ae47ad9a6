package dev.vtexbridge.sandbox;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;

/** Marks a bean that exists only while the built-in VTEX sandbox is on ({@code bridge.sandbox.enabled=true}). */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ConditionalOnProperty(name = "bridge.sandbox.enabled", havingValue = "true")
public @interface ConditionalOnSandbox {
}
