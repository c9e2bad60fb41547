// n8n finds this package's node and credential through the "n8n" block of package.json;
// there is nothing to export here.
module.exports = {};
