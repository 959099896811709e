package org.subsidyledger.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.subsidyledger.core.support.RejectionMatchers.rejectedWith;
import static org.subsidyledger.core.support.TestData.PROVIDER_USCC;
import static org.subsidyledger.core.support.TestData.VENDOR_USCC;

import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.subsidyledger.core.registry.RegistryCommands.AccreditProvider;
import org.subsidyledger.core.registry.RegistryCommands.DeregisterModel;
import org.subsidyledger.core.registry.RegistryCommands.RegisterModel;
import org.subsidyledger.core.registry.RegistryCommands.WithdrawAccreditation;
import org.subsidyledger.core.registry.RegistryEvent.ModelDeregistered;
import org.subsidyledger.core.registry.RegistryEvent.ModelRegistered;
import org.subsidyledger.core.registry.RegistryEvent.ProviderAccreditationWithdrawn;
import org.subsidyledger.core.registry.RegistryEvent.ProviderAccredited;
import org.subsidyledger.core.shared.FilingNo;
import org.subsidyledger.core.shared.LedgerRejection;
import org.subsidyledger.core.shared.ProviderId;
import org.subsidyledger.core.shared.ProviderKind;
import org.subsidyledger.core.shared.RejectionCode;
import org.subsidyledger.core.support.TestLedgerIndex;

/**
 * The national registries (SPEC §1, §3, §11 "Providers and registries"): the {@link Provider} and
 * {@link RegisteredModel} aggregates, and the validation their command records do before anything is dispatched.
 */
class RegistryTest {
    private static final ProviderId COMPUTE_PROVIDER = ProviderId.of("prov-compute-7");
    private static final ProviderId VENDOR = ProviderId.of("prov-model-7");
    private static final ProviderId US_VENDOR = ProviderId.of("prov-us-model-1");
    private static final FilingNo MODEL = FilingNo.of("Beijing-Model-20240007");

    private AggregateTestFixture<Provider> providers;
    private AggregateTestFixture<RegisteredModel> models;
    private TestLedgerIndex index;

    @BeforeEach
    void setUp() {
        providers = new AggregateTestFixture<>(Provider.class);
        index = new TestLedgerIndex();
        providers.registerInjectableResource(index);
        models = new AggregateTestFixture<>(RegisteredModel.class);
        models.registerInjectableResource(index);
    }

    private static AccreditProvider accreditCompute() {
        return new AccreditProvider(
                COMPUTE_PROVIDER, "Hangzhou Cloud Compute Co.", PROVIDER_USCC, ProviderKind.COMPUTE, "grp-cloud", null);
    }

    private static ProviderAccredited computeAccredited() {
        return new ProviderAccredited(
                COMPUTE_PROVIDER, "Hangzhou Cloud Compute Co.", PROVIDER_USCC, ProviderKind.COMPUTE, "grp-cloud", "CN");
    }

    private static ProviderAccredited vendorAccredited() {
        return new ProviderAccredited(
                VENDOR, "Beijing Model Vendor Ltd.", VENDOR_USCC, ProviderKind.MODEL_VENDOR, null, "CN");
    }

    @Nested
    @DisplayName("Providers: accredit and withdraw")
    class Providers {

        @Test
        void accreditingAProviderWithoutCountryRecordsItAsCn() {
            providers
                    .givenNoPriorActivity()
                    .when(accreditCompute())
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(computeAccredited());
        }

        @Test
        void accreditingAnAccreditedProviderAgainIsAlreadyExists() {
            providers
                    .given(computeAccredited())
                    .when(accreditCompute())
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.ALREADY_EXISTS));
        }

        @Test
        void providerWhoseAccreditationWasWithdrawnMayBeAccreditedAgain() {
            providers
                    .given(
                            computeAccredited(),
                            new ProviderAccreditationWithdrawn(
                                    COMPUTE_PROVIDER, ProviderKind.COMPUTE, "CN", "audit findings"))
                    .when(accreditCompute())
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(computeAccredited());
        }

        @Test
        void aSecondProviderIdForTheSameLegalIdentityAndKindIsAlreadyExists() {
            // Issue 12 point 4: one firm accredited under two ids could submit one invoice under each.
            index.on(computeAccredited());
            providers
                    .givenNoPriorActivity()
                    .when(new AccreditProvider(
                            ProviderId.of("prov-compute-again"),
                            "Hangzhou Cloud (second id)",
                            PROVIDER_USCC,
                            ProviderKind.COMPUTE,
                            null,
                            null))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.ALREADY_EXISTS));
        }

        @Test
        void aSecondProviderIdIsRefusedEvenAfterTheFirstWasWithdrawn() {
            // The withdrawn id keeps the legal identity: the firm is accredited again under that id, not a new one.
            index.on(computeAccredited());
            index.on(new ProviderAccreditationWithdrawn(COMPUTE_PROVIDER, ProviderKind.COMPUTE, "CN", "audit"));
            providers
                    .givenNoPriorActivity()
                    .when(new AccreditProvider(
                            ProviderId.of("prov-compute-again"),
                            "Hangzhou Cloud (second id)",
                            PROVIDER_USCC,
                            ProviderKind.COMPUTE,
                            null,
                            null))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.ALREADY_EXISTS));
        }

        @Test
        void theSameLegalIdentityMayHoldOneProviderIdPerKind() {
            // Variation: the compute provider's firm also sells model access, under its own MODEL_VENDOR id.
            index.on(computeAccredited());
            ProviderId vendorId = ProviderId.of("prov-cloud-models");
            providers
                    .givenNoPriorActivity()
                    .when(new AccreditProvider(
                            vendorId,
                            "Hangzhou Cloud Models",
                            PROVIDER_USCC,
                            ProviderKind.MODEL_VENDOR,
                            "grp-cloud",
                            null))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(new ProviderAccredited(
                            vendorId,
                            "Hangzhou Cloud Models",
                            PROVIDER_USCC,
                            ProviderKind.MODEL_VENDOR,
                            "grp-cloud",
                            "CN"));
        }

        @Test
        void reaccreditingTheSameProviderIdOfALegalIdentityIsAllowed() {
            index.on(computeAccredited());
            providers
                    .given(
                            computeAccredited(),
                            new ProviderAccreditationWithdrawn(
                                    COMPUTE_PROVIDER, ProviderKind.COMPUTE, "CN", "audit findings"))
                    .when(accreditCompute())
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(computeAccredited());
        }

        @Test
        void withdrawingAnAccreditationRecordsKindCountryAndReason() {
            providers
                    .given(computeAccredited())
                    .when(new WithdrawAccreditation(COMPUTE_PROVIDER, "audit findings"))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(new ProviderAccreditationWithdrawn(
                            COMPUTE_PROVIDER, ProviderKind.COMPUTE, "CN", "audit findings"));
        }

        @Test
        void withdrawingTwiceIsProviderNotAccredited() {
            providers
                    .given(
                            computeAccredited(),
                            new ProviderAccreditationWithdrawn(
                                    COMPUTE_PROVIDER, ProviderKind.COMPUTE, "CN", "audit findings"))
                    .when(new WithdrawAccreditation(COMPUTE_PROVIDER, "again"))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.PROVIDER_NOT_ACCREDITED));
        }

        @Test
        void cnProviderWithABadUsccCheckCharacterIsValidationFailedBeforeDispatch() {
            // 91330100481998296B is valid; changing its check character breaks it.
            LedgerRejection rejection = assertThrows(
                    LedgerRejection.class,
                    () -> new AccreditProvider(
                            COMPUTE_PROVIDER, "Bad Code Co.", "91330100481998296C", ProviderKind.COMPUTE, null, null));
            assertThat(rejection.code()).isEqualTo(RejectionCode.VALIDATION_FAILED);
            LedgerRejection explicitCn = assertThrows(
                    LedgerRejection.class,
                    () -> new AccreditProvider(
                            COMPUTE_PROVIDER, "Bad Code Co.", "not-a-uscc", ProviderKind.COMPUTE, null, "CN"));
            assertThat(explicitCn.code()).isEqualTo(RejectionCode.VALIDATION_FAILED);
        }

        @Test
        void cnProviderWithoutAnIdIsValidationFailed() {
            LedgerRejection rejection = assertThrows(
                    LedgerRejection.class,
                    () -> new AccreditProvider(
                            COMPUTE_PROVIDER, "No Code Co.", null, ProviderKind.COMPUTE, null, null));
            assertThat(rejection.code()).isEqualTo(RejectionCode.VALIDATION_FAILED);
        }

        @Test
        void countryOtherThanCnOrUsIsValidationFailed() {
            LedgerRejection rejection = assertThrows(
                    LedgerRejection.class,
                    () -> new AccreditProvider(
                            COMPUTE_PROVIDER, "Tokyo GPU KK", "tokyo-gpu", ProviderKind.COMPUTE, null, "JP"));
            assertThat(rejection.code()).isEqualTo(RejectionCode.VALIDATION_FAILED);
        }

        @Test
        void usProviderNeedsNoUscc() {
            providers
                    .givenNoPriorActivity()
                    .when(new AccreditProvider(
                            US_VENDOR, "Example AI Inc.", "example-ai-inc", ProviderKind.MODEL_VENDOR, null, "US"))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(new ProviderAccredited(
                            US_VENDOR, "Example AI Inc.", "example-ai-inc", ProviderKind.MODEL_VENDOR, null, "US"));
        }
    }

    @Nested
    @DisplayName("Models: register and deregister")
    class Models {

        private static RegisterModel registerModel() {
            return new RegisterModel(MODEL, "Example LLM 2", VENDOR);
        }

        @Test
        void registeringAModelOfAnAccreditedModelVendorRecordsTheVendorsCountry() {
            index.on(vendorAccredited());
            models.givenNoPriorActivity()
                    .when(registerModel())
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(new ModelRegistered(MODEL, "Example LLM 2", VENDOR, "CN"));
        }

        @Test
        void registeringAModelOfAUsVendorRecordsUs() {
            index.on(new ProviderAccredited(
                    US_VENDOR, "Example AI Inc.", "example-ai-inc", ProviderKind.MODEL_VENDOR, null, "US"));
            models.givenNoPriorActivity()
                    .when(new RegisterModel(MODEL, "Example LLM 2", US_VENDOR))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(new ModelRegistered(MODEL, "Example LLM 2", US_VENDOR, "US"));
        }

        @Test
        void registeringAModelOfAnUnknownVendorIsProviderNotAccredited() {
            models.givenNoPriorActivity()
                    .when(registerModel())
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.PROVIDER_NOT_ACCREDITED));
        }

        @Test
        void registeringAModelOfAComputeProviderIsProviderNotAccredited() {
            index.on(computeAccredited());
            models.givenNoPriorActivity()
                    .when(new RegisterModel(MODEL, "Example LLM 2", COMPUTE_PROVIDER))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.PROVIDER_NOT_ACCREDITED));
        }

        @Test
        void registeringAModelOfAWithdrawnVendorIsProviderNotAccredited() {
            index.on(vendorAccredited());
            index.on(new ProviderAccreditationWithdrawn(VENDOR, ProviderKind.MODEL_VENDOR, "CN", "licence lapsed"));
            models.givenNoPriorActivity()
                    .when(registerModel())
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.PROVIDER_NOT_ACCREDITED));
        }

        @Test
        void registeringARegisteredModelAgainIsAlreadyExists() {
            index.on(vendorAccredited());
            models.given(new ModelRegistered(MODEL, "Example LLM 2", VENDOR, "CN"))
                    .when(registerModel())
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.ALREADY_EXISTS));
        }

        @Test
        void deregisteringAModelRecordsVendorCountryAndReason() {
            models.given(new ModelRegistered(MODEL, "Example LLM 2", VENDOR, "CN"))
                    .when(new DeregisterModel(MODEL, "filing revoked by the regulator"))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(new ModelDeregistered(MODEL, VENDOR, "CN", "filing revoked by the regulator"));
        }

        @Test
        void deregisteringTwiceIsModelNotRegistered() {
            models.given(
                            new ModelRegistered(MODEL, "Example LLM 2", VENDOR, "CN"),
                            new ModelDeregistered(MODEL, VENDOR, "CN", "filing revoked by the regulator"))
                    .when(new DeregisterModel(MODEL, "again"))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.MODEL_NOT_REGISTERED));
        }

        @Test
        void deregisteredModelMayBeRegisteredAgain() {
            index.on(vendorAccredited());
            models.given(
                            new ModelRegistered(MODEL, "Example LLM 2", VENDOR, "CN"),
                            new ModelDeregistered(MODEL, VENDOR, "CN", "filing revoked by the regulator"))
                    .when(registerModel())
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(new ModelRegistered(MODEL, "Example LLM 2", VENDOR, "CN"));
        }
    }
}
