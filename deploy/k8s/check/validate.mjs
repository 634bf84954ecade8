// Validates every document in deploy/k8s/*.yaml against the Kubernetes (and
// prometheus-operator) JSON schemas of kubernetes-models: `npm ci && node validate.mjs`.
// Exits non-zero naming the file, the kind and the problem.
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import { Deployment, StatefulSet } from "kubernetes-models/apps/v1";
import { ConfigMap, Service } from "kubernetes-models/v1";
import { Ingress } from "kubernetes-models/networking.k8s.io/v1";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1";
import { ServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1";

const models = { Deployment, StatefulSet, ConfigMap, Service, Ingress, PodDisruptionBudget, ServiceMonitor };
const dir = join(dirname(fileURLToPath(import.meta.url)), "..");
let failures = 0;
let checked = 0;
for (const file of readdirSync(dir).filter((f) => f.endsWith(".yaml")).sort()) {
  for (const doc of parseAllDocuments(readFileSync(join(dir, file), "utf8"))) {
    if (doc.errors.length) {
      console.error(`${file}: ${doc.errors.join("; ")}`);
      failures++;
      continue;
    }
    const object = doc.toJS();
    if (!object) continue;
    const Model = models[object.kind];
    try {
      if (!Model) throw new Error(`no schema for kind ${object.kind}`);
      new Model(object).validate();
      console.log(`${file}: ${object.kind}/${object.metadata.name} valid`);
      checked++;
    } catch (e) {
      console.error(`${file}: ${object.kind}/${object.metadata?.name}: ${e.message}`);
      failures++;
    }
  }
}
console.log(`${checked} passed, ${failures} failed`);
process.exit(failures === 0 && checked > 0 ? 0 : 1);
