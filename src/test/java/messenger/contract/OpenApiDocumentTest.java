package messenger.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/** openapi.json is a valid OpenAPI 3.1 document, as swagger-parser reads it. */
class OpenApiDocumentTest {

  @Test
  void theOpenApiDocumentParsesAsOpenApi31WithoutMessages() {
    SwaggerParseResult result = parse(Contracts.openApiText());
    assertNotNull(result.getOpenAPI(), "parsed: " + result.getMessages());
    assertEquals(List.of(), result.getMessages());
    assertEquals("3.1.0", result.getOpenAPI().getOpenapi());
    assertEquals(
        Contracts.operations().size(),
        result.getOpenAPI().getPaths().values().stream()
            .mapToInt(p -> p.readOperations().size())
            .sum(),
        "swagger-parser sees the operations the contract tests probe");
  }

  @Test
  void theErrorCodesOfTheDocumentAreExactlyTheServers() throws Exception {
    var spec = new java.util.TreeSet<String>();
    Contracts.JSON
        .readTree(Contracts.openApiText())
        .path("components")
        .path("schemas")
        .path("ErrorCode")
        .path("enum")
        .forEach(code -> spec.add(code.asText()));
    // The domain's codes, and the two the HTTP edge writes on its own (ErrorMapping).
    var server = new java.util.TreeSet<String>(List.of("internal", "method_not_allowed"));
    for (messenger.ErrorCode code : messenger.ErrorCode.values()) server.add(code.wire());
    assertEquals(server, spec);
  }

  @Test
  void theOpenApiDocumentConformsToThePublishedOpenApi31Schema() {
    assertEquals(
        List.of(),
        Contracts.metaSchemaProblems("openapi-3.1.schema.json", Contracts.openApiText()));
  }

  /** That check is not vacuous: a response without its required description is refused. */
  @Test
  void aResponseWithoutDescriptionIsRefusedByTheOpenApiSchema() {
    String broken =
        Contracts.openApiText()
            .replace("\"201\": { \"description\": \"Registered\", ", "\"201\": { ");
    assertFalse(broken.equals(Contracts.openApiText()));
    assertFalse(Contracts.metaSchemaProblems("openapi-3.1.schema.json", broken).isEmpty());
  }

  /** The check above could not pass by seeing nothing: a dangling reference is reported. */
  @Test
  void aDanglingSchemaReferenceIsReported() {
    String broken =
        Contracts.openApiText()
            .replace("\"#/components/schemas/History\"", "\"#/components/schemas/Histories\"");
    assertFalse(parse(broken).getMessages().isEmpty());
  }

  private static SwaggerParseResult parse(String text) {
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    return new OpenAPIV3Parser().readContents(text, null, options);
  }
}
