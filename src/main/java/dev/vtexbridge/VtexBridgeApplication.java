package dev.vtexbridge;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class VtexBridgeApplication {

    public static void main(String[] args) {
        SpringApplication.run(VtexBridgeApplication.class, args);
    }
}
