// n8n discovers this package's node and credential through the "n8n" block of package.json;
// nothing is exported here.
module.exports = {};
