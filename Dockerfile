# The engine image: the packaged jar on a Java 17 runtime. Build the jar first (./mvnw -B package), then
# `docker compose build` (or `docker build -t vtex-bridge .`).
FROM eclipse-temurin:17-jre

WORKDIR /app
# Not root: the engine only needs its data folder (embedded H2/Artemis when no external ones are configured).
RUN useradd --system --uid 10001 --home-dir /app bridge \
    && mkdir -p /app/data \
    && chown bridge /app/data
COPY target/vtex-bridge.jar /app/vtex-bridge.jar

# Flows and mappings are read from /app/routes and /app/mappings (mount them, see docker-compose.yml); when those
# folders are missing the copies bundled in the jar are used.
ENV BRIDGE_DATA_DIR=/app/data \
    BRIDGE_ROUTES_DIR=/app/routes \
    BRIDGE_MAPPINGS_DIR=/app/mappings
VOLUME /app/data
EXPOSE 8080

USER bridge
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/vtex-bridge.jar"]
