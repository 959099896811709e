package org.subsidyledger.api;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.syntax.ArchRuleDefinition;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Keeps the module map honest: ledger-api → projections → ledger-core, and a core free of infrastructure. */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.subsidyledger");
    }

    @Test
    void importsTheDomain() {
        // guards against a rule passing vacuously because nothing was imported
        assertThat(classes.stream()
                        .filter(c -> c.getPackageName().startsWith("org.subsidyledger.core"))
                        .count())
                .isGreaterThan(40);
    }

    @Test
    void coreDependsOnNoFrameworkOrInfrastructure() {
        noClasses()
                .that()
                .resideInAPackage("org.subsidyledger.core..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.springframework..",
                        "jakarta.persistence..",
                        "javax.persistence..",
                        "org.hibernate..",
                        "java.sql..",
                        "javax.sql..",
                        "jakarta.servlet..",
                        "org.apache.kafka..",
                        "io.cloudevents..",
                        "org.axonframework.spring..",
                        "org.axonframework.eventsourcing.eventstore.jdbc..",
                        "org.axonframework.eventsourcing.eventstore.jpa..")
                .check(classes);
    }

    @Test
    void coreNeverReadsTheWallClock() {
        // every "now" of the domain comes from LedgerClock, the clock that also stamps events
        noClasses()
                .that()
                .resideInAPackage("org.subsidyledger.core..")
                .should()
                .callMethod(Instant.class, "now")
                .orShould()
                .callMethod(System.class, "currentTimeMillis")
                .orShould()
                .callMethod(LocalDate.class, "now")
                .orShould()
                .callMethod(YearMonth.class, "now")
                .orShould()
                .callMethod(Clock.class, "systemUTC")
                .check(classes);
    }

    @Test
    void moneyIsNeverAFloatingPointNumber() {
        ArchRuleDefinition.noFields()
                .that()
                .areDeclaredInClassesThat()
                .resideInAPackage("org.subsidyledger..")
                .should()
                .haveRawType(double.class)
                .orShould()
                .haveRawType(Double.class)
                .orShould()
                .haveRawType(float.class)
                .orShould()
                .haveRawType(Float.class)
                .check(classes);
    }

    @Test
    void dependenciesPointFromApiToProjectionsToCore() {
        layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .withOptionalLayers(true)
                .layer("api")
                .definedBy("org.subsidyledger.api..")
                .layer("projections")
                .definedBy("org.subsidyledger.projections..")
                .layer("core")
                .definedBy("org.subsidyledger.core..")
                .whereLayer("api")
                .mayNotBeAccessedByAnyLayer()
                .whereLayer("projections")
                .mayOnlyBeAccessedByLayers("api")
                .whereLayer("core")
                .mayOnlyBeAccessedByLayers("projections", "api")
                .check(classes);
    }

    @Test
    void featurePackagesOfTheApiFormNoCycle() {
        SlicesRuleDefinition.slices()
                .matching("org.subsidyledger.api.(*)..")
                .should()
                .beFreeOfCycles()
                .check(classes);
    }

    @Test
    void featurePackagesOfTheProjectionsFormNoCycle() {
        SlicesRuleDefinition.slices()
                .matching("org.subsidyledger.projections.(*)..")
                .should()
                .beFreeOfCycles()
                .check(classes);
    }

    @Test
    void featurePackagesOfTheCoreFormNoCycle() {
        SlicesRuleDefinition.slices()
                .matching("org.subsidyledger.core.(*)..")
                .should()
                .beFreeOfCycles()
                .check(classes);
    }
}
