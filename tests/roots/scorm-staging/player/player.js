// Stand-in for the real player in packaging tests: the packager only needs a file to list.
document.documentElement.dataset.ready = "true";
