import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

/** Paths of routes no controller declares (a plugin's page), added to the document as they are. */
export type OpenApiPaths = OpenAPIObject['paths'];

/** The routes of the OpenAPI UI's page (swagger-ui's own, with its inline styles). */
export const OPENAPI_PAGES = ['/docs', '/docs/', '/docs/index.html'];

/** Serves the OpenAPI UI at /docs and the document at /docs-json. */
export function setupOpenApi(app: INestApplication, extraPaths: OpenApiPaths = {}): void {
  const config = new DocumentBuilder()
    .setTitle('Passerelle API')
    .setDescription('Workshops, invitations, cooperation proposals, partnerships and reports to ministries.')
    .setVersion('1.0')
    .addBearerAuth()
    .build();
  const document = SwaggerModule.createDocument(app, config);
  document.paths = { ...document.paths, ...extraPaths };
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
    customSiteTitle: 'Passerelle API',
    // Without swagger-ui's top bar, whose logo brings an inline <style> of its own that the
    // Content-Security-Policy refuses (the page's fixed styles are allowed by their hashes).
    swaggerOptions: { layout: 'BaseLayout' },
  });
}
