# The ledger's production image (docker-compose.yml builds it): the jar is built from the repository in a Maven +
# Temurin 17 stage, then runs on a plain Temurin 17 JRE as an unprivileged user.

# ---- build -------------------------------------------------------------------------------------------------------
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build
ENV AXONIQ_UPDATE_CHECKER_DISABLED=true
COPY . .
# The image's own Maven (>= 3.8, as the enforcer requires) instead of ./mvnw, which would download Maven again.
RUN mvn -B -DskipTests package

# ---- runtime -----------------------------------------------------------------------------------------------------
FROM eclipse-temurin:17-jre
# curl for the HEALTHCHECK (installed explicitly rather than relying on the base image to keep shipping it).
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system ledger \
 && useradd --system --gid ledger --home-dir /app --shell /usr/sbin/nologin ledger \
 && mkdir -p /app \
 && chown ledger:ledger /app
WORKDIR /app
COPY --from=build --chown=ledger:ledger /build/ledger-api/target/ledger-api.jar /app/ledger-api.jar
USER ledger
ENV AXONIQ_UPDATE_CHECKER_DISABLED=true \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
EXPOSE 8080
# /actuator/health includes the database and the Kafka publication (DOWN after 60 s without the broker).
HEALTHCHECK --interval=15s --timeout=5s --start-period=90s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/actuator/health >/dev/null || exit 1
ENTRYPOINT ["java", "-jar", "/app/ledger-api.jar"]
