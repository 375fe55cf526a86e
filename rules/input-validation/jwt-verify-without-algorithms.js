const jwt = require("jsonwebtoken");

function authenticate(req, res, next) {
  const token = (req.headers.authorization || "").replace(/^Bearer /, "");
  try {
    // ruleid: jwt-verify-without-algorithms
    req.user = jwt.verify(token, process.env.JWT_PUBLIC_KEY);
    next();
  } catch (err) {
    res.status(401).json({ error: "invalid token" });
  }
}

function verifyAsync(token, cb) {
  // ruleid: jwt-verify-without-algorithms
  jwt.verify(token, process.env.JWT_SECRET, { audience: "api" }, cb);
}

function strict(req, res, next) {
  const token = (req.headers.authorization || "").replace(/^Bearer /, "");
  try {
    // ok: jwt-verify-without-algorithms
    req.user = jwt.verify(token, process.env.JWT_PUBLIC_KEY, { algorithms: ["RS256"], audience: "api" });
    next();
  } catch (err) {
    res.status(401).json({ error: "invalid token" });
  }
}
