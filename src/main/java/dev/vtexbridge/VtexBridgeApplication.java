package dev.vtexbridge;

import java.util.Arrays;

import dev.vtexbridge.cli.OpsCli;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class VtexBridgeApplication {

    /** {@code ops ...} runs the ops CLI (no Spring, no engine); anything else starts the engine. */
    public static void main(String[] args) {
        if (args.length > 0 && "ops".equals(args[0])) {
            OpsCli.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        SpringApplication.run(VtexBridgeApplication.class, args);
    }
}
