package dev.felix.transport;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;

/** No Netty or QUIC library type may leak into the transport's public API (DESIGN.md 2). */
@AnalyzeClasses(
    packages = "dev.felix.transport",
    importOptions = {ImportOption.DoNotIncludeTests.class, ImportOption.DoNotIncludeJars.class})
class ApiBoundaryTest {
  private static final DescribedPredicate<JavaClass> NETTY =
      DescribedPredicate.describe("a Netty type", c -> c.getPackageName().startsWith("io.netty"));

  @ArchTest
  static final ArchRule apiPackageDoesNotUseNetty =
      noClasses()
          .that()
          .resideInAPackage("dev.felix.transport")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.netty..");

  @ArchTest
  static final ArchRule noPublicMethodTakesOrReturnsNetty =
      noMethods()
          .that()
          .arePublic()
          .and()
          .areDeclaredInClassesThat()
          .arePublic()
          .should()
          .haveRawReturnType(NETTY)
          .orShould()
          .haveRawParameterTypes(
              DescribedPredicate.describe(
                  "Netty types", (List<JavaClass> types) -> types.stream().anyMatch(NETTY)));
}
