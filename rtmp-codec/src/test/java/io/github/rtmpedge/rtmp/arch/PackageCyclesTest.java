package io.github.rtmpedge.rtmp.arch;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The codec's packages depend on each other in one direction only (e.g. message on chunk, never
 * back), so that each layer can be read, tested and replaced below the ones that use it.
 *
 * <p>The rule reads bytecode, where javac has inlined compile-time constants: a package that only
 * reads another's {@code static final int}s does not show. Such constants therefore live in the
 * lower package ({@code chunk.ChunkControlTypes}, which {@code message.MessageType} builds on).
 */
@AnalyzeClasses(packages = "io.github.rtmpedge.rtmp", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageCyclesTest {

    @ArchTest
    static final ArchRule noCycleBetweenCodecPackages =
            slices().matching("io.github.rtmpedge.rtmp.(*)..").should().beFreeOfCycles();
}
