// `npm run bench`: every benchmark of DESIGN §9 in one run, as a table and one JSON line each.
import { benchCodeowners, codeownersTable } from "./codeowners.js";
import { benchCore, printCoreTable } from "./core.js";

const core = [100, 1000, 5000].map((size) => benchCore(size));
printCoreTable(core);
console.log("");
const codeowners = benchCodeowners();
console.log(codeownersTable(codeowners));
console.log("");
console.log(JSON.stringify({ core, codeowners }));
