// A parse worker (bundled as dist/parse-worker.js): reads and parses the batches of files that
// parse-pool.ts sends, with parse.ts's readYamlFile, and answers with plain data: each file
// without its documents (the main thread parses those again on first access). Logs nothing.
import { parentPort } from 'node:worker_threads';
import { readYamlFile, withoutDocuments, type ParsedFileData } from './parse';
import type { BatchReply, BatchRequest } from './parse-pool';

parentPort?.on('message', ({ id, root, paths }: BatchRequest) => {
  let reply: BatchReply;
  try {
    const files = paths.map((path): ParsedFileData | null => {
      const file = readYamlFile(root, path);
      return file ? withoutDocuments(file) : null;
    });
    reply = { id, files };
    parentPort!.postMessage(reply);
  } catch {
    // Whatever went wrong (a file the parser chokes on, data that cannot be cloned), the main
    // thread parses this batch itself, as it would without workers.
    reply = { id, failed: true };
    parentPort!.postMessage(reply);
  }
});
