import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// n8n-core writes its instance settings and binary store below N8N_USER_FOLDER.
process.env.N8N_USER_FOLDER = mkdtempSync(join(tmpdir(), 'magichour-engine-'));
process.env.N8N_ENCRYPTION_KEY = 'engine-test-key';
process.env.N8N_LOG_LEVEL = 'silent';
