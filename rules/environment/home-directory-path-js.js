const fs = require("fs");
const os = require("os");
const path = require("path");

// ruleid: home-directory-path-js
const MODEL_PATH = "/Users/alice/models/classifier.onnx";

// ruleid: home-directory-path-js
const exportDir = path.join(os.homedir(), "Downloads", "exports");

function loadFixtures(name) {
  // ruleid: home-directory-path-js
  return fs.readFileSync(`/home/bob/projects/api/fixtures/${name}.json`, "utf8");
}

// ruleid: home-directory-path-js
const WIN_DATA = "C:\\Users\\carol\\data\\prices.csv";

// ok: home-directory-path-js
const DATA_DIR = process.env.DATA_DIR || path.join(__dirname, "data");

// ok: home-directory-path-js
const configDir = path.join(os.homedir(), ".config", "myapp");

// ok: home-directory-path-js
const appRoot = "/home/node/app/uploads";

// ok: home-directory-path-js
const modelPath = path.resolve(process.env.MODEL_DIR, "classifier.onnx");
