/**
 * GraphiQL for developers, served by the hub in development only (SPEC §2).
 * Everything, Monaco's workers included, comes from this bundle.
 */
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import { createGraphiQLFetcher } from '@graphiql/toolkit';

const headers = JSON.stringify(
  { Authorization: 'Bearer ogk_paste-an-API-key-here (npm start prints the demo keys)', 'X-Purpose': 'LICENSE_ISSUANCE' },
  null,
  2,
);

const query = `# Paste an API key into the Authorization header below, then run.
# The licensing desk's demo key reads these fields for LICENSE_ISSUANCE.
query DemoCitizen {
  citizen(id: "610113198807150016") {
    name
    birthDate
    phone
    household { id }
    licenses { number kind status }
  }
}
`;

const fetcher = createGraphiQLFetcher({ url: new URL('/graphql', window.location.href).toString() });

createRoot(document.getElementById('graphiql')!).render(
  <GraphiQL fetcher={fetcher} defaultQuery={query} initialQuery={query} initialHeaders={headers} defaultHeaders={headers} defaultEditorToolsVisibility="headers" shouldPersistHeaders={false} />,
);
