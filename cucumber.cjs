// Used by `npx cucumber-js` for spec work; the dbcomply CLI passes the same paths through the API.
module.exports = {
  default: {
    paths: ['features/**/*.feature'],
    import: ['dist/support/**/*.js', 'dist/steps/**/*.js'],
    strict: true,
  },
};
