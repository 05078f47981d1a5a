package io.github.rtmpedge.edge.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The layering of the server's packages (docs/architecture.md, "Packages of the server"): imports
 * go down the layers, never up or across between the session kinds and the upstream.
 */
@AnalyzeClasses(packages = "io.github.rtmpedge", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String EDGE = "io.github.rtmpedge.edge";

    @ArchTest
    static final ArchRule layersGoDownOnly = layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("base")
            .definedBy(
                    EDGE + ".metrics..",
                    EDGE + ".transport..",
                    EDGE + ".logging..",
                    EDGE + ".json..",
                    EDGE + ".proxy..")
            .layer("stream hub")
            .definedBy(EDGE + ".stream..")
            .layer("security")
            .definedBy(EDGE + ".security..")
            .layer("session infrastructure")
            .definedBy(EDGE + ".session..", EDGE + ".web..")
            .layer("rtmp session")
            .definedBy(EDGE + ".rtmp..")
            .layer("http-flv session")
            .definedBy(EDGE + ".flv..")
            .layer("upstream")
            .definedBy(EDGE + ".upstream..")
            .layer("operations")
            .definedBy(EDGE + ".api..", EDGE + ".http..", EDGE + ".lifecycle..", EDGE + ".cli..")
            .layer("server")
            .definedBy(EDGE)
            .whereLayer("server")
            .mayNotBeAccessedByAnyLayer()
            .whereLayer("operations")
            .mayOnlyBeAccessedByLayers("server", "operations")
            .whereLayer("rtmp session")
            .mayOnlyBeAccessedByLayers("operations", "server")
            .whereLayer("http-flv session")
            .mayOnlyBeAccessedByLayers("operations", "server")
            .whereLayer("upstream")
            .mayOnlyBeAccessedByLayers("server")
            .whereLayer("session infrastructure")
            .mayOnlyBeAccessedByLayers("rtmp session", "http-flv session", "operations", "server")
            .whereLayer("security")
            .mayOnlyBeAccessedByLayers("rtmp session", "http-flv session", "upstream", "operations", "server")
            .whereLayer("stream hub")
            .mayOnlyBeAccessedByLayers(
                    "session infrastructure", "rtmp session", "http-flv session", "upstream", "operations", "server");

    @ArchTest
    static final ArchRule sessionsAndUpstreamMeetOnlyInTheStreamHub = noClasses()
            .that()
            .resideInAPackage(EDGE + ".upstream..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(EDGE + ".rtmp..", EDGE + ".flv..", EDGE + ".session..", EDGE + ".web..");

    @ArchTest
    static final ArchRule theSessionKindsDoNotKnowEachOther = noClasses()
            .that()
            .resideInAPackage(EDGE + ".flv..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(EDGE + ".rtmp..", EDGE + ".upstream..");

    @ArchTest
    static final ArchRule theSessionDoesNotReachTheUpstream = noClasses()
            .that()
            .resideInAPackage(EDGE + ".rtmp..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage(EDGE + ".upstream..");

    @ArchTest
    static final ArchRule metricsKnowNoDomain = noClasses()
            .that()
            .resideInAPackage(EDGE + ".metrics..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    EDGE + ".stream..",
                    EDGE + ".proxy..",
                    EDGE + ".session..",
                    EDGE + ".security..",
                    EDGE + ".rtmp..",
                    EDGE + ".upstream..",
                    EDGE + ".api..",
                    EDGE + ".http..",
                    EDGE + ".lifecycle..",
                    EDGE + ".cli..");

    @ArchTest
    static final ArchRule noPackageCycles =
            slices().matching(EDGE + ".(**)").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule theModulesBelowKnowNothingOfTheServer = noClasses()
            .that()
            .resideInAnyPackage("io.github.rtmpedge.rtmp..", "io.github.rtmpedge.config..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage(EDGE + "..");

    @ArchTest
    static final ArchRule theCodecKnowsNoConfiguration = noClasses()
            .that()
            .resideInAPackage("io.github.rtmpedge.rtmp..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.github.rtmpedge.config..");
}
