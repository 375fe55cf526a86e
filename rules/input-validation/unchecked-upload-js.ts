import express from "express";
import bodyParser from "body-parser";
import multer from "multer";
import path from "node:path";

const app = express();
const storage = multer.diskStorage({
  destination: process.env.UPLOAD_DIR,
  filename: (_req, file, cb) => cb(null, `${crypto.randomUUID()}${path.extname(file.originalname)}`),
});

// ruleid: unchecked-upload-js
const upload = multer({ storage });

// ruleid: unchecked-upload-js
const memoryUpload = multer();

// ruleid: unchecked-upload-js
app.use(express.json({ limit: "50mb" }));

// ruleid: unchecked-upload-js
app.use(bodyParser.urlencoded({ extended: true, limit: "1gb" }));

// ruleid: unchecked-upload-js
const avatarUpload = multer({ dest: "uploads/", limits: { fileSize: Infinity } });

// ok: unchecked-upload-js
const boundedUpload = multer({
  storage,
  limits: { fileSize: 5 * 1024 * 1024, files: 5 },
  fileFilter: (_req, file, cb) => cb(null, ["image/png", "image/jpeg"].includes(file.mimetype)),
});

// ok: unchecked-upload-js
app.use(express.json({ limit: "1mb" }));

// ok: unchecked-upload-js
app.use(express.urlencoded({ extended: false, limit: "10mb" }));

// ok: unchecked-upload-js
app.post("/webhooks/stripe", express.raw({ type: "application/json", limit: "512kb" }), (req, res) => res.sendStatus(200));

app.post("/avatars", upload.single("avatar"), (req, res) => res.json({ file: req.file?.filename }));
app.post("/photos", boundedUpload.array("photos", 5), (req, res) => res.json({ count: req.files?.length }));

export { app, memoryUpload, avatarUpload };
