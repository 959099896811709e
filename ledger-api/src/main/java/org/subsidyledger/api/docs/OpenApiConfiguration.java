package org.subsidyledger.api.docs;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.tags.Tag;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.subsidyledger.core.shared.RejectionCode;

/**
 * What Swagger UI shows. Operations are tagged by the feature their path belongs to, every operation may be called with
 * HTTP Basic or a bearer token, and every operation documents the problem+json refusals (with the SPEC codes each
 * status can carry) next to its own answer.
 */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfiguration {
    static final String BASIC = "basic";
    static final String BEARER = "bearer";
    static final String PROBLEM = "Problem";

    /** Tags in the order Swagger UI lists them, each with the path prefixes (after /api/v1) that belong to it. */
    static final Map<String, List<String>> TAGS = new LinkedHashMap<>();

    static {
        TAGS.put("Programs", List.of("/programs"));
        TAGS.put("Vouchers", List.of("/vouchers"));
        TAGS.put("Housing", List.of("/housing-grants"));
        TAGS.put("Approvals", List.of("/approvals"));
        TAGS.put("Registries", List.of("/providers", "/models"));
        TAGS.put("Budget", List.of("/provinces", "/me"));
        TAGS.put("Alerts", List.of("/alerts"));
        TAGS.put("Audit", List.of("/audit"));
        TAGS.put("Admin", List.of("/admin"));
    }

    private static final Map<String, String> TAG_TEXT = Map.of(
            "Programs", "Launch programs, appropriate and rescind funds, close them; program figures and rules.",
            "Vouchers", "Issue, redeem, settle and revoke compute and model vouchers.",
            "Housing", "Talent-housing grants: grant, claim months, terminate.",
            "Approvals",
                    "Four eyes: requests at or above a program's approval threshold, approved or rejected by another person.",
            "Registries", "Accredited providers and filed generative models (national admin).",
            "Budget", "SPEC §4 figures by province, city, kind and currency, now, as of an instant, or as a series.",
            "Alerts", "Fiscal-sustainability alerts (SPEC §6).",
            "Audit", "The hash-chained event log: export, verification, replays (national admin, auditor).",
            "Admin", "Projection status and rebuilds (national admin).");

    @Bean
    public OpenAPI ledgerOpenApi(ObjectProvider<BuildProperties> build) {
        BuildProperties properties = build.getIfAvailable();
        String version = properties == null ? "development" : properties.getVersion();
        return new OpenAPI()
                .info(new Info()
                        .title("Subsidy Ledger API")
                        .version(version)
                        .description("An event-sourced ledger of public AI-compute, model-access and talent-housing "
                                + "subsidies: commands append events, the read side answers budget figures, "
                                + "alerts and histories, and the audit log proves nothing was changed. Figures are "
                                + "decimal strings of their currency. Every refusal is application/problem+json "
                                + "with a `code` (SPEC §3). Authorize with HTTP Basic (demo users outside "
                                + "production, password `demo`) or a bearer JWT.")
                        .license(new License().name("See the repository")))
                .components(new Components()
                        .addSecuritySchemes(
                                BASIC,
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.HTTP)
                                        .scheme("basic")
                                        .description("Demo users outside the production profile: national, auditor, "
                                                + "officer-cn-zj, … (password demo)."))
                        .addSecuritySchemes(
                                BEARER,
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.HTTP)
                                        .scheme("bearer")
                                        .bearerFormat("JWT")
                                        .description("An OAuth2 JWT with the ledger's role and province claims."))
                        .addSchemas(PROBLEM, problemSchema()))
                .addSecurityItem(new SecurityRequirement().addList(BASIC))
                .addSecurityItem(new SecurityRequirement().addList(BEARER))
                .tags(TAGS.keySet().stream()
                        .map(name -> new Tag().name(name).description(TAG_TEXT.get(name)))
                        .toList());
    }

    /** Tags each operation by its path and adds the problem+json refusals it may answer. */
    @Bean
    public OpenApiCustomizer ledgerOperations() {
        Map<Integer, String> codesByStatus = Arrays.stream(RejectionCode.values())
                .collect(Collectors.groupingBy(
                        RejectionCode::httpStatus,
                        TreeMap::new,
                        Collectors.mapping(Enum::name, Collectors.joining(", "))));
        return openApi -> {
            if (openApi.getPaths() == null) {
                return;
            }
            openApi.getPaths().forEach((path, item) -> {
                String tag = tagOf(path);
                for (Map.Entry<PathItem.HttpMethod, Operation> entry :
                        item.readOperationsMap().entrySet()) {
                    Operation operation = entry.getValue();
                    if (tag != null) {
                        operation.setTags(List.of(tag));
                    }
                    boolean command = entry.getKey() == PathItem.HttpMethod.POST;
                    codesByStatus.forEach((status, codes) -> {
                        boolean applies = status == 400
                                || status == 401
                                || status == 403
                                || status == 404
                                || status == 503
                                || command;
                        if (applies
                                && (operation.getResponses() == null
                                        || !operation.getResponses().containsKey(String.valueOf(status)))) {
                            operation.getResponses().addApiResponse(String.valueOf(status), problem(codes));
                        }
                    });
                }
            });
        };
    }

    static String tagOf(String path) {
        String rest = path.startsWith("/api/v1") ? path.substring("/api/v1".length()) : path;
        for (Map.Entry<String, List<String>> tag : TAGS.entrySet()) {
            for (String prefix : tag.getValue()) {
                if (rest.equals(prefix) || rest.startsWith(prefix + "/")) {
                    return tag.getKey();
                }
            }
        }
        return null;
    }

    private static ApiResponse problem(String codes) {
        return new ApiResponse()
                .description("Refused (application/problem+json); code one of: " + codes)
                .content(new Content()
                        .addMediaType(
                                "application/problem+json",
                                new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM))));
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static Schema problemSchema() {
        Schema schema = new ObjectSchema().description("RFC 9457 problem details with the ledger's code (SPEC §3).");
        schema.addProperty("type", new StringSchema().example("https://subsidy-ledger.org/problems/not-found"));
        schema.addProperty("title", new StringSchema().example("Not found"));
        schema.addProperty("status", new IntegerSchema().example(404));
        schema.addProperty("detail", new StringSchema().example("Voucher v-1 was not found."));
        schema.addProperty(
                "code",
                new StringSchema()
                        ._enum(Arrays.stream(RejectionCode.values())
                                .map(Enum::name)
                                .toList()));
        schema.addProperty("instance", new StringSchema().example("/api/v1/vouchers/v-1"));
        schema.setRequired(List.of("type", "title", "status", "code"));
        return schema;
    }
}
